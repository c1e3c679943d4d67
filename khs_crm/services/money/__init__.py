"""Money: estimates, invoices, payments and what each job earned (office only)."""
