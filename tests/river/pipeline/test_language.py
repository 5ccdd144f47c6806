import pytest

from earful.river.pipeline.base import Context
from earful.river.pipeline.items import Item, RawItem
from earful.river.pipeline.language import UNDETERMINED, detect_language, language
from earful.river.pipeline.normalise import normalise


def detected(*raws: RawItem) -> list[str]:
    batch = normalise([Item(raw=raw, source_id=1) for raw in raws], Context())
    language([item for item in batch if not item.dropped], Context())
    return [item.language for item in batch]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The new update keeps crashing whenever I try to upload a photo, please fix it.", "en"),
        ("Bonjour, je n'arrive plus à me connecter depuis la mise à jour d'hier.", "fr"),
        ("Die neue Version der App stürzt ständig ab, wenn ich ein Foto hochlade.", "de"),
        ("La aplicación me cobró dos veces el mismo pedido y nadie responde.", "es"),
        ("新しいアップデートの後、保存していた下書きがすべて消えてしまいました。", "ja"),
    ],
)
def test_languages_are_detected(text, code):
    assert detect_language(text) == code
    assert detected(RawItem(text=text)) == [code]


@pytest.mark.parametrize(
    "text",
    ["lol", "asdf qwer zxcv", "12345 !!!", "😀😀😀", "https://example.com/a", "+1", "..."],
)
def test_short_or_garbage_text_is_undetermined(text):
    assert detect_language(text) == UNDETERMINED


@pytest.mark.parametrize("text", ["\x00\x01 hello", "\ud800 bonjour", "\x7f\x9f", ""])
def test_hostile_text_does_not_raise(text):
    assert isinstance(detect_language(text), str)


def test_a_valid_declared_language_is_trusted():
    # French words, but the source says English: the declaration wins.
    assert detected(RawItem(text="Merci beaucoup pour la mise à jour", language="en-US")) == ["en"]


def test_an_invalid_declared_language_is_detected_instead():
    text = "Die neue Version der App stürzt ständig ab, wenn ich ein Foto hochlade."
    assert detected(RawItem(text=text, language="German")) == ["de"]
    assert detected(RawItem(text=text, language="und")) == ["de"]


def test_links_do_not_make_text_english():
    text = "Die neue Version stürzt ständig ab https://example.com/bug/report/update/crash"
    assert detect_language(text) == "de"


def test_title_counts_towards_detection():
    assert detected(
        RawItem(text="ok", title="Die neue Version der App stürzt ständig ab, schade")
    ) == ["de"]


def test_long_text_is_judged_by_its_start():
    text = "The checkout page will not load on my phone since the update. " * 2000
    assert detect_language(text) == "en"
