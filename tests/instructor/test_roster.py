"""`make roster`: a class list into the gradebook through nbgrader's API, all or nothing, each bad row named."""
from __future__ import annotations

import pytest
from nbgrader.api import Gradebook

from instructor import roster

GOOD = """id,first_name,last_name,email,lms_id
ada,Ada,Lovelace,ada@example.org,1001
grace,Grace,Hopper,grace@example.org,1002
"""


def write(tmp_path, text: str):
    path = tmp_path / "roster.csv"
    path.write_text(text)
    return path


def students(db_url: str) -> dict:
    with Gradebook(db_url) as gradebook:
        return {s.id: (s.first_name, s.last_name, s.email, s.lms_user_id) for s in gradebook.students}


def test_a_roster_is_imported_and_imported_again_without_duplicates(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    roster.import_roster(write(tmp_path, GOOD), url)
    roster.import_roster(write(tmp_path, GOOD.replace("grace@example.org", "ghopper@example.org")), url)
    assert students(url) == {"ada": ("Ada", "Lovelace", "ada@example.org", "1001"),
                             "grace": ("Grace", "Hopper", "ghopper@example.org", "1002")}


def test_columns_in_any_order_and_a_missing_column_keeps_what_the_gradebook_has(tmp_path):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    roster.import_roster(write(tmp_path, GOOD), url)
    roster.import_roster(write(tmp_path, "lms_id,id\n2001,ada\n"), url)
    assert students(url)["ada"] == ("Ada", "Lovelace", "ada@example.org", "2001")


@pytest.mark.parametrize("text,complaints", [
    ("id,first_name,last_name,email,lms_id\n,Ada,Lovelace,ada@example.org,1\ngrace,Grace,Hopper,grace@x.org,2\n"
     "grace,G,H,g@x.org,3\nalan,Alan,Turing,alan-at-example.org,4\nbob,Bob\n",
     ["row 2: no id", "row 4: id 'grace' is already on row 3", "row 5: e-mail 'alan-at-example.org' is not",
      "row 6: 2 values, the header has 5 columns"]),
    ("id,name\nada,Ada\n", ["row 1 (the header): unknown column 'name'; the columns accepted are id, first_name, "
                            "last_name, email, lms_id (id required)"]),
    ("first_name,email\nAda,ada@example.org\n", ["row 1 (the header): no id column"]),
    ("id,first_name\nada lovelace,Ada\n", ["row 2: id 'ada lovelace' may hold only letters, digits"]),
])
def test_a_bad_roster_names_every_bad_row_and_imports_nothing(tmp_path, text, complaints):
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with pytest.raises(roster.RosterError) as raised:
        roster.import_roster(write(tmp_path, text), url)
    for complaint in complaints:
        assert complaint in str(raised.value)
    assert not (tmp_path / "gradebook.db").exists() or students(url) == {}
