-- PostgreSQL drops the foreign keys from `cdrs` and `cdr_hourly` to `accounts` in this step (ingest
-- checks and locks a batch's accounts itself; see the PostgreSQL migration of the same name).
-- SQLite keeps them (checked row by row as SQLite does, within the one statement). Nothing
-- changes here: this step exists so that both folders have the same steps.
SELECT 1;
