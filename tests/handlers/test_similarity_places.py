"""handlers.similarity: a building named in digits or in words, Simplified or Traditional, is one place."""
from handlers.similarity import place_marks, places_agree


def test_numbers_in_words_and_traditional_characters_name_the_same_building():
    assert place_marks("四号楼后头井盖") == place_marks("4号楼井盖") == {"building": "4"}
    assert place_marks("十二号楼") == {"building": "12"} and place_marks("二十三栋") == {"building": "23"}
    assert places_agree("我住20棟25樓也是這樣", "20栋这几天水压好低")
    assert not places_agree("5号楼停电了", "六号楼停电了")
