"""The business id (Y-tunnus) check that the PTV source and the grant applications share."""

import pytest

from tilannekuva.regions.validators import business_id_is_valid

REAL = ["0165116-3", "2048903-4", "0165761-0", "0135457-2", "0209602-6", "0245437-2"]  # from data/ptv/


@pytest.mark.parametrize("text", REAL)
def test_real_business_ids_pass_their_check_digit(text):
    assert business_id_is_valid(text)


@pytest.mark.parametrize("text", ["0165116-4", "165116-3", "0165116", "abcdefg-1", "1234567 1", " 0165116-3", ""])
def test_a_wrong_check_digit_or_form_is_refused(text):
    assert not business_id_is_valid(text)


def test_seven_digits_whose_weighted_sum_leaves_one_have_no_valid_business_id():
    # 0000030: 3 × 4 = 12, which leaves 1 when divided by 11; such numbers are never given out
    assert not any(business_id_is_valid(f"0000030-{check}") for check in range(10))
