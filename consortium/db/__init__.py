"""The PostgreSQL backend the portal connects with: Django's own, telling the database who is
acting at the start of every transaction (consortium/tenancy.py)."""
