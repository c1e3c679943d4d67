"""Jobs and what hangs off them: the workflow, crew, materials, notes, calendar feeds."""
