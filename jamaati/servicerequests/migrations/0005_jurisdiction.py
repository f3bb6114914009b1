"""Keep each request's jurisdiction (its category's organisation) on the row.

Open311 lists read a jurisdiction's requests newest first; with the jurisdiction on the
row that is one index scan in order, instead of a scan of every organisation's requests
in the date window filtered down to the jurisdiction's categories.
"""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL = """
UPDATE servicerequests_servicerequest
SET jurisdiction_id = (
    SELECT organisation_id FROM servicerequests_category
    WHERE servicerequests_category.id = servicerequests_servicerequest.category_id
)
"""


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0001_initial"),
        ("servicerequests", "0004_commune_statistics_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="jurisdiction",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="jurisdiction",
                db_index=False,
            ),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop, elidable=True),
        migrations.AlterField(
            model_name="servicerequest",
            name="jurisdiction",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.organisation",
                verbose_name="jurisdiction",
                db_index=False,
            ),
        ),
        migrations.RemoveIndex(
            model_name="servicerequest",
            name="servicerequ_categor_43ee81_idx",
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                fields=["jurisdiction", "-created_at", "-id"], name="servicerequest_jurisdiction"
            ),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                condition=models.Q(("status__in", ["new", "acknowledged", "in_progress"])),
                fields=["jurisdiction", "-created_at", "-id"],
                name="servicerequest_juris_open",
            ),
        ),
        migrations.AddIndex(
            model_name="servicerequest",
            index=models.Index(
                condition=models.Q(("status__in", ["resolved", "rejected", "duplicate", "closed"])),
                fields=["jurisdiction", "-created_at", "-id"],
                name="servicerequest_juris_closed",
            ),
        ),
        migrations.AddIndex(
            model_name="servicerequestevent",
            index=models.Index(
                condition=models.Q(
                    ("is_public", True),
                    ("kind__in", ["status_changed", "public_update", "reopened"]),
                    models.Q(("body", ""), _negated=True),
                ),
                fields=["service_request", "-created_at", "-id"],
                name="servicerequestevent_note",
            ),
        ),
        migrations.AddIndex(
            model_name="servicerequestphoto",
            index=models.Index(
                condition=models.Q(("is_public", True)),
                fields=["service_request", "created_at", "id"],
                name="servicerequestphoto_public",
            ),
        ),
    ]
