-- PostgreSQL partitions `cdrs` by month and keeps external ids in `cdr_keys` (see the
-- PostgreSQL migration of the same name). SQLite keeps its one plain table, unique on
-- external_id; retention deletes its rows in batches. Nothing changes here: this step exists
-- so that both folders have the same steps.
SELECT 1;
