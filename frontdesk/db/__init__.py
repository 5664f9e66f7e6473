"""Storage: peewee models, opening the database, migrations. Imports peewee only."""
