-- Every node keeps the customer contexts it has read and checks them on every request against
-- this counter (see the PostgreSQL migration of the same name). Any change to what a context is
-- made of moves it in the same transaction.
CREATE TABLE access_epoch (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n BIGINT NOT NULL
);
INSERT INTO access_epoch (id, n) VALUES (1, 0);

CREATE TRIGGER customers_access_epoch_insert AFTER INSERT ON customers
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER customers_access_epoch_update AFTER UPDATE ON customers
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER customers_access_epoch_delete AFTER DELETE ON customers
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER access_profiles_access_epoch_insert AFTER INSERT ON access_profiles
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER access_profiles_access_epoch_update AFTER UPDATE ON access_profiles
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER access_profiles_access_epoch_delete AFTER DELETE ON access_profiles
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER access_profile_permissions_access_epoch_insert AFTER INSERT ON access_profile_permissions
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER access_profile_permissions_access_epoch_update AFTER UPDATE ON access_profile_permissions
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER access_profile_permissions_access_epoch_delete AFTER DELETE ON access_profile_permissions
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
