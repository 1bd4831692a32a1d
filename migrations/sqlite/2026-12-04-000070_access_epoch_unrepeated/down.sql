DROP TRIGGER customers_access_epoch_insert;
CREATE TRIGGER customers_access_epoch_insert AFTER INSERT ON customers
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
DROP TRIGGER customers_access_epoch_update;
CREATE TRIGGER customers_access_epoch_update AFTER UPDATE ON customers
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
DROP TRIGGER customers_access_epoch_delete;
CREATE TRIGGER customers_access_epoch_delete AFTER DELETE ON customers
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
DROP TRIGGER access_profiles_access_epoch_insert;
CREATE TRIGGER access_profiles_access_epoch_insert AFTER INSERT ON access_profiles
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
DROP TRIGGER access_profiles_access_epoch_update;
CREATE TRIGGER access_profiles_access_epoch_update AFTER UPDATE ON access_profiles
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
DROP TRIGGER access_profiles_access_epoch_delete;
CREATE TRIGGER access_profiles_access_epoch_delete AFTER DELETE ON access_profiles
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
DROP TRIGGER access_profile_permissions_access_epoch_insert;
CREATE TRIGGER access_profile_permissions_access_epoch_insert AFTER INSERT ON access_profile_permissions
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
DROP TRIGGER access_profile_permissions_access_epoch_update;
CREATE TRIGGER access_profile_permissions_access_epoch_update AFTER UPDATE ON access_profile_permissions
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
DROP TRIGGER access_profile_permissions_access_epoch_delete;
CREATE TRIGGER access_profile_permissions_access_epoch_delete AFTER DELETE ON access_profile_permissions
BEGIN UPDATE access_epoch SET n = n + 1 WHERE id = 1; END;
UPDATE access_epoch SET n = moves WHERE id = 1;
ALTER TABLE access_epoch DROP COLUMN moves;
