import pytest

from earful.river.pipeline.base import Context
from earful.river.pipeline.items import Item, RawItem
from earful.river.pipeline.language import (
    UNDETERMINED,
    detect_language,
    detect_languages,
    language,
)
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


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Merci pour votre aide !", "fr"),
        ("Gracias por la ayuda, de verdad", "es"),
        ("Danke für die schnelle Hilfe!", "de"),
        ("Grazie mille per l'aiuto", "it"),
        ("Obrigado pela ajuda, vocês são demais", "pt"),
        ("شكرا جزيلا على المساعدة", "ar"),
        ("Thanks so much for the quick fix!", "en"),
        ("Спасибо за помощь, всё работает", "ru"),
    ],
)
def test_short_sentences(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Portuguese that fastText alone calls Spanish: CLD2 settles the close call.
        ("Encontro sensacional o programa..parabéns", "pt"),
        # Arabic typed in presentation forms is read after NFKC.
        ("ﺍﻵﻥ ﻳﻨﻬﺾ ﺗﺤﺪﻱ ﺇﻳﺮﺍﻥ، ﻭﻓﻴﻤﺎ ﻛﺎﻥ ﺍﻟﻄﺒﻴﻌﻲ ﺃﻥ ﺗﻘﻮﺩ ﻣﺼﺮ ﺍﻟﻤﻮﺍﺟﻬﺔ", "ar"),
        # Shouting does not fool it.
        ("GOVERNO MONTI, LE PROVINCE IN CORO: IL GOVERNO CI RIPENSI", "it"),
    ],
)
def test_hard_cases_seen_in_tweets(text, code):
    assert detect_language(text) == code


@pytest.mark.parametrize(
    "text",
    [
        "yaar ye app bahut slow hai, kuch karo na",
        "mujhe nahi pata tha ki delivery itni late hogi",
        "kya bakwaas service hai, paisa wapas karo",
        "Bhai kal ka match dekha? Kohli ne kya khela yaar",
        "@brand mera order abhi tak nahi aaya hai http://t.co/abc",
    ],
)
def test_romanised_hindi_is_hindi(text):
    assert detect_language(text) == "hi"
    assert detect_language(text, hinglish=False) != "hi"


@pytest.mark.parametrize(
    "text",
    [
        "I love this phone so much",
        "Hi team, my order has not arrived yet, can you check?",
        "Main street is closed today, take the bypass",
        "Ho ho ho, merry christmas to all of you",
        "Me and my sister are going to the mall",
        "La casa de mi madre es muy bonita",
    ],
)
def test_english_and_spanish_are_not_hindi(text):
    assert detect_language(text) != "hi"


@pytest.mark.parametrize(
    "text",
    [
        "\x00" * 50,
        "a\x00b\x01c\x1f hello there my friend",
        "\ud800\udfff\udc00 bonjour tout le monde, ça va ?",
        "bonjour \ud83d tout le monde",
        "\n\n\t\r  ",
        "\u200b\u200d\ufeff",
        "#" * 5000,
        "@" * 100 + " http://x" * 50,
        "ǅ" * 3000,
        "\U0001f600" * 4000,
        "e\u0301" * 1000,
    ],
)
def test_more_hostile_text_does_not_raise(text):
    assert isinstance(detect_language(text), str)


def test_huge_text_is_quick():
    import time

    text = "Die neue Version der App stürzt ständig ab, wenn ich ein Foto hochlade. " * 50_000
    start = time.perf_counter()
    assert detect_language(text) == "de"
    assert time.perf_counter() - start < 0.5
    text = "yaar ye app bahut slow hai kuch karo na " * 50_000
    assert detect_language(text) == "hi"


def test_nothing_is_downloaded(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("language detection tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from earful.river.pipeline import language as module

    module._fasttext.cache_clear()
    assert detect_language("Obrigado pela ajuda, vocês são demais") == "pt"


# One batch mixing every path: "und", Hinglish, CLD2's long-text answers, fastText's sure
# answers, close calls settled by CLD2 or left "und", lone surrogates (which the C++ side
# cannot take), newlines, long texts.
MIXED = [
    "",
    "lol",
    "asdf qwer zxcv",
    "yaar ye app bahut slow hai, kuch karo na",
    "Encontro sensacional o programa..parabéns",
    "Obrigado pela ajuda, vocês são demais",
    "\ud800 bonjour tout le monde, merci pour votre aide",
    "Thanks so much for the quick fix!",
    "Die neue Version der App stürzt ständig ab, wenn ich ein Foto hochlade. " * 10,
    "first line\nsecond line\r\nthird line, in English as it happens",
    "ﺍﻵﻥ ﻳﻨﻬﺾ ﺗﺤﺪﻱ ﺇﻳﺮﺍﻥ، ﻭﻓﻴﻤﺎ ﻛﺎﻥ ﺍﻟﻄﺒﻴﻌﻲ ﺃﻥ ﺗﻘﻮﺩ ﻣﺼﺮ ﺍﻟﻤﻮﺍﺟﻬﺔ",
    "GOVERNO MONTI, LE PROVINCE IN CORO: IL GOVERNO CI RIPENSI",
    "bonjour\udfff le monde",
    "新しいアップデートの後、保存していた下書きがすべて消えてしまいました。",
]


@pytest.mark.parametrize("hinglish", [True, False])
def test_a_batch_gets_what_each_text_gets_alone(hinglish):
    alone = [detect_language(text, hinglish=hinglish) for text in MIXED]
    assert detect_languages(MIXED, hinglish=hinglish) == alone
    assert detect_languages(list(reversed(MIXED)), hinglish=hinglish) == alone[::-1]
    assert detect_languages([], hinglish=hinglish) == []
    if hinglish:
        assert alone[:6] == [UNDETERMINED, UNDETERMINED, UNDETERMINED, "hi", "pt", "pt"]
        assert alone[7:9] == ["en", "de"]


def test_the_stage_detects_a_batch_and_keeps_declared_languages():
    raws = [RawItem(text=text) for text in MIXED[3:9]]
    raws.insert(2, RawItem(text="Merci beaucoup pour la mise à jour", language="en-US"))
    expected = [detect_language(f"\n{raw.text}") for raw in raws]
    expected[2] = "en"
    assert detected(*raws) == expected
