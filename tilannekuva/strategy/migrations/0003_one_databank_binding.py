# One data-bank binding type where there were four: the sotkanet, statfin and ptv bindings of stored metrics
# become databank bindings naming the data bank's source and the indicator's id at it, and every binding keeps
# only the fields of its type (strategy.bindings). The conversion is written out here, as it stood when the
# migration was made, so that later changes of the app's code do not change what the migration does.

from django.db import migrations, models

FIELDS = {
    "manual": (),
    "databank": ("source", "series", "organisation_kind", "aggregation"),
    "survey": ("survey", "question"),
    "computed": ("index", "component", "reference", "dimension_set", "aggregation"),
}
PTV_SERIES = "services-responsible"  # the PTV importer's count of the services an organisation is responsible for


def table_id(table):
    """A PxWeb table's id as the importer names its indicators: `vaerak/statfin_vaerak_pxt_11ra.px` → the id."""
    return table.strip().strip("/").rsplit("/", 1)[-1].removesuffix(".px")


def one_type(binding_type, details):
    details = dict(details or {})
    if binding_type == "sotkanet":
        indicator = details.get("indicator")
        if indicator in (None, ""):
            return "manual", {}  # a Sotkanet binding naming no indicator never had data
        binding_type, details = "databank", {**details, "source": "sotkanet", "series": str(indicator)}
    elif binding_type == "statfin":
        series, table = str(details.get("series") or ""), str(details.get("table") or "")
        if table and series and ":" not in series:
            series = f"{table_id(table)}:{series}"  # the importer's indicator id: <table>:<value code>
        if not series:
            return "manual", {}
        binding_type, details = "databank", {**details, "source": details.get("source") or "statfin", "series": series}
    elif binding_type == "ptv":
        binding_type, details = "databank", {**details, "source": "ptv", "series": PTV_SERIES}
    if binding_type not in FIELDS:
        return "manual", {}
    kept = {}
    for name in FIELDS[binding_type]:
        value = details.get(name)
        if value not in (None, ""):
            kept[name] = str(value)
    return binding_type, kept


def forwards(apps, schema_editor):
    Metric = apps.get_model("strategy", "Metric")
    for metric in Metric.objects.all().only("pk", "binding_type", "binding").iterator():
        binding_type, details = one_type(metric.binding_type, metric.binding)
        if (binding_type, details) != (metric.binding_type, metric.binding):
            Metric.objects.filter(pk=metric.pk).update(binding_type=binding_type, binding=details)


def backwards(apps, schema_editor):
    """Sotkanet and PTV bindings back to their own types; other data-bank bindings stay (the old code read them)."""
    Metric = apps.get_model("strategy", "Metric")
    for metric in Metric.objects.filter(binding_type="databank").only("pk", "binding").iterator():
        details = dict(metric.binding or {})
        if details.get("source") == "sotkanet" and str(details.get("series", "")).isdigit():
            old = {"indicator": int(details["series"])}
            if details.get("aggregation"):
                old["aggregation"] = details["aggregation"]
            Metric.objects.filter(pk=metric.pk).update(binding_type="sotkanet", binding=old)
        elif details.get("source") == "ptv" and details.get("organisation_kind"):
            old = {"organisation_kind": details["organisation_kind"]}
            Metric.objects.filter(pk=metric.pk).update(binding_type="ptv", binding=old)


class Migration(migrations.Migration):
    dependencies = [
        ("strategy", "0002_databank_binding"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AlterField(
            model_name="metric",
            name="binding_type",
            field=models.CharField(
                choices=[
                    ("manual", "Reported by hand"),
                    ("databank", "Data bank"),
                    ("survey", "Survey"),
                    ("computed", "Computed index"),
                ],
                default="manual",
                max_length=16,
                verbose_name="data source",
            ),
        ),
    ]
