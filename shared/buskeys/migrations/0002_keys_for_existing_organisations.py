"""Organisations created before bus keys existed get their key pairs now."""

from django.db import migrations


def create_missing_keys(apps, schema_editor):
    from shared.buskeys.keys import key_pairs_generate

    Organization = apps.get_model("orgs", "Organization")
    OrganizationBusKeys = apps.get_model("buskeys", "OrganizationBusKeys")
    for organization in Organization.objects.filter(bus_keys__isnull=True):
        OrganizationBusKeys.objects.create(organization=organization, **key_pairs_generate(code=organization.code))


class Migration(migrations.Migration):
    dependencies = [("buskeys", "0001_initial")]
    operations = [migrations.RunPython(create_missing_keys, migrations.RunPython.noop)]
