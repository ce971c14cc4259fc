"""Counterpart pairs get a dialogue level, a client path, an area, two sides (organisation and role title) and
years; the agreements register. An existing pair keeps its municipality as the first side (its area as the
pair's area), the county as the second, and its role title as the first side's; its level is left empty, so
the counterparts page lists it among the pairs without a place until an administrator gives it one."""

import django.db.models.deletion
from django.db import migrations, models

import tilannekuva.cooperation.models


def areas_from_municipalities(apps, schema_editor):
    pair_model = apps.get_model("cooperation", "CounterpartPair")
    for pair in pair_model.objects.select_related("first_organisation").filter(area__isnull=True):
        if pair.first_organisation is not None and pair.first_organisation.area_id is not None:
            pair.area_id = pair.first_organisation.area_id
            pair.save(update_fields=["area"])


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0001_initial"),
        ("regions", "0004_regionrole_group_key"),
        ("strategy", "0004_structures"),
    ]

    operations = [
        migrations.RenameField(model_name="counterpartpair", old_name="municipality", new_name="first_organisation"),
        migrations.RenameField(model_name="counterpartpair", old_name="county", new_name="second_organisation"),
        migrations.RenameField(model_name="counterpartpair", old_name="contact_role", new_name="first_role"),
        migrations.AlterField(
            model_name="counterpartpair",
            name="first_organisation",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty: the municipalities (of the area, if one is given).",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.organisation",
                verbose_name="organisation (first side)",
            ),
        ),
        migrations.AlterField(
            model_name="counterpartpair",
            name="second_organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.organisation",
                verbose_name="organisation (second side)",
            ),
        ),
        migrations.AlterField(
            model_name="counterpartpair",
            name="first_role",
            field=models.CharField(
                help_text="A role title, e.g. 'kunnan hyte-yhdyshenkilö'.",
                max_length=300,
                verbose_name="role title (first side)",
            ),
        ),
        migrations.AddField(
            model_name="counterpartpair",
            name="level_key",
            field=models.SlugField(
                blank=True,
                help_text="The key of a dialogue level of the strategy.",
                max_length=80,
                verbose_name="dialogue level",
            ),
        ),
        migrations.AddField(
            model_name="counterpartpair",
            name="client_path_key",
            field=models.SlugField(
                blank=True,
                help_text="The key of one of the interface's client paths.",
                max_length=80,
                verbose_name="client path",
            ),
        ),
        migrations.AddField(
            model_name="counterpartpair",
            name="area",
            field=models.ForeignKey(
                blank=True,
                help_text="Where the pair works, when not in the whole region: a seutukunta or a municipality.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.area",
                verbose_name="area",
            ),
        ),
        migrations.AddField(
            model_name="counterpartpair",
            name="second_role",
            field=models.CharField(blank=True, max_length=300, verbose_name="role title (second side)"),
        ),
        migrations.AddField(
            model_name="counterpartpair",
            name="valid_from",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="from year"),
        ),
        migrations.AddField(
            model_name="counterpartpair",
            name="valid_to",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="to year"),
        ),
        migrations.AddField(
            model_name="counterpartpair",
            name="source",
            field=models.TextField(blank=True, help_text="Where the pair is drawn from.", verbose_name="source"),
        ),
        migrations.AlterModelOptions(
            name="counterpartpair",
            options={
                "ordering": ["interface_key", "level_key", "client_path_key", "pk"],
                "verbose_name": "counterpart pair",
                "verbose_name_plural": "counterpart pairs",
            },
        ),
        migrations.RunPython(areas_from_municipalities, migrations.RunPython.noop),
        migrations.CreateModel(
            name="Agreement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("interface_agreement", "Interface agreement (yhdyspintasopimus)"),
                            ("cooperation_agreement", "Co-operation agreement (yhteistyösopimus)"),
                            ("partnership_agreement", "Partnership agreement (kumppanuussopimus)"),
                            ("other", "Other agreement"),
                        ],
                        max_length=24,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=300, verbose_name="title")),
                (
                    "interface_key",
                    models.SlugField(
                        blank=True,
                        help_text="The key of the goal it concerns.",
                        max_length=80,
                        verbose_name="interface or focus area",
                    ),
                ),
                (
                    "group_key",
                    models.SlugField(
                        blank=True,
                        help_text="The key of the group that keeps the agreement; it stays the same from one version to the next.",
                        max_length=80,
                        verbose_name="responsible group",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("preparing", "In preparation"), ("signed", "Signed"), ("ended", "Ended")],
                        max_length=12,
                        verbose_name="status",
                    ),
                ),
                ("signed_on", models.DateField(blank=True, null=True, verbose_name="signed on")),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="valid from")),
                ("valid_until", models.DateField(blank=True, null=True, verbose_name="valid until")),
                (
                    "document",
                    models.FileField(
                        blank=True,
                        max_length=300,
                        upload_to=tilannekuva.cooperation.models.agreement_path,
                        verbose_name="document",
                    ),
                ),
                ("url", models.URLField(blank=True, max_length=1000, verbose_name="link to the document")),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "source",
                    models.TextField(blank=True, help_text="Where the entry is drawn from.", verbose_name="source"),
                ),
                (
                    "demo",
                    models.BooleanField(
                        default=False,
                        help_text="An invented example of the demo, not a real agreement.",
                        verbose_name="example (demo data)",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "area",
                    models.ForeignKey(
                        blank=True,
                        help_text="The sub-region or municipality the agreement covers; empty: the whole region.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="regions.area",
                        verbose_name="area",
                    ),
                ),
                ("parties", models.ManyToManyField(related_name="+", to="regions.organisation", verbose_name="parties")),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="agreements",
                        to="regions.region",
                        verbose_name="region",
                    ),
                ),
            ],
            options={
                "verbose_name": "agreement",
                "verbose_name_plural": "agreements",
                "ordering": ["-signed_on", "title", "pk"],
            },
        ),
    ]
