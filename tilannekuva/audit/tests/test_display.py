"""How the trail shows stored values: in the page's language and number format."""


def test_values_and_labels_read_in_the_pages_language():
    """Issue 17: a reported "72,5" showed as "72.5" and the label "Value" stayed in English."""
    from django.db import models as dj_models
    from django.utils import translation

    from tilannekuva.audit.models import PSEUDO_FIELDS, display_text

    with translation.override("fi"):
        assert display_text("72.5") == "72,5"
        assert display_text("0.00", dj_models.DecimalField(max_digits=5, decimal_places=2)) == "0,00"
        assert display_text("1.2", dj_models.CharField(max_length=9)) == "1.2"  # text stays text
        assert str(PSEUDO_FIELDS["value"]) == "arvo"
