"""Presenters for the office screens: dates and links as people read them, sentences, form
values parsed into the services' input models. Business rules stay in ``services``; nothing
under ``services`` imports from here."""
