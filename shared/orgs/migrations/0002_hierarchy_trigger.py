"""The hierarchy rule also holds in the database, whatever writes the row:
a county's parent is a city, a city's parent is a province (or none)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION orgs_check_hierarchy() RETURNS trigger AS $$
DECLARE parent_kind text;
BEGIN
    IF NEW.parent_id IS NULL THEN
        IF NEW.kind = 'county' THEN
            RAISE EXCEPTION 'a county must belong to a city' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    SELECT kind INTO parent_kind FROM orgs_organization WHERE id = NEW.parent_id;
    IF (NEW.kind = 'county' AND parent_kind <> 'city')
       OR (NEW.kind = 'city' AND parent_kind <> 'province')
       OR NEW.kind = 'province' THEN
        RAISE EXCEPTION 'a % cannot be placed under a %', NEW.kind, parent_kind USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER orgs_organization_hierarchy
BEFORE INSERT OR UPDATE OF kind, parent_id ON orgs_organization
FOR EACH ROW EXECUTE FUNCTION orgs_check_hierarchy();
"""

DROP = """
DROP TRIGGER IF EXISTS orgs_organization_hierarchy ON orgs_organization;
DROP FUNCTION IF EXISTS orgs_check_hierarchy();
"""


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]
    operations = [migrations.RunSQL(CREATE, DROP)]
