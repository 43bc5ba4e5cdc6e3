"""Reading an article's text: menus, mastheads and related blocks cut, tables and press-kit fields made list
items, transcripts' speaker labels set aside, sentences and list items as units that know their event."""

from __future__ import annotations

from pipelines.detect.boilerplate import clean_title, is_menu_line
from pipelines.detect.speakers import split_speaker, transcript_labels
from pipelines.detect.tables import rewrite_tables
from pipelines.detect.text import build_units, event_of, split_sentences


def test_speaker_labels_are_stripped_only_in_transcripts() -> None:
    turns = ["JOURNALISTE — Bonjour.", "PDG D'IBERLUX — Nous investirons.", "JOURNALISTE — Merci."]
    labels = transcript_labels(turns)
    assert labels == {"JOURNALISTE", "PDG D'IBERLUX"}
    turn = split_speaker(turns[1], labels)
    assert (turn.text, turn.org, turn.interviewer) == ("Nous investirons.", "IBERLUX", False)
    assert split_speaker(turns[0], labels).interviewer
    # A lone capitalised head is a list item, not a speaker.
    assert transcript_labels(["IBM : 500 M€ à Paris.", "Le groupe recrute."]) == frozenset()


def test_a_table_becomes_list_items_and_its_total_row_plain_cells() -> None:
    text = (
        "Investisseur | Montant | Site | Emplois\n|---|---|---|---|\n"
        "Nordvik Wind | 300 M€ | Saint-Nazaire | 250\nTotal | 15 Md€ | — | —\n"
        "Accueil | Économie | Régions"
    )
    assert rewrite_tables(text).split("\n") == [
        "- Nordvik Wind : 300 M€ à Saint-Nazaire, 250 emplois.",
        "- Total : 15 Md€.",
        "Accueil | Économie | Régions",
    ]


def test_press_kit_fields_and_heading_sector_belong_to_the_entry() -> None:
    kit = (
        "1. Harlow Turbines (Royaume-Uni) — Éolien en mer\n"
        "Montant : 650 M€ | Emplois : 420 | Localisation : Cherbourg (Manche)\n"
        "Le turbinier britannique construira une usine de nacelles."
    )
    assert "- Harlow Turbines : 650 M€ à Cherbourg (Manche), 420 emplois (Éolien en mer)." in rewrite_tables(
        kit
    )
    semicolons = "**Vintergaard Foods**\n- Emplois : 120 ; Montant : 35 M€ ; Localisation : Vire (Calvados)"
    assert "- Vintergaard Foods : 35 M€ à Vire (Calvados), 120 emplois." in rewrite_tables(semicolons)


def test_menus_and_mastheads_are_no_title_and_elided_headings_are_no_menu() -> None:
    assert clean_title("Quais & Hangars - Actualités | Entrepôts | Fret | Emploi | Newsletter") is None
    assert clean_title("Home Technologie Microsoft, Amazon… Une vague d’investissements") == (
        "Microsoft, Amazon… Une vague d’investissements"
    )
    assert not is_menu_line("L'essentiel de Choose France")
    assert not is_menu_line("D'Amboise à Versailles")
    assert is_menu_line("Accueil Économie Tech Startups Régions")


def test_sentences_keep_abbreviations_and_list_lines_apart() -> None:
    assert split_sentences("M. Dupont a parlé. Le groupe investira.") == [
        "M. Dupont a parlé.",
        "Le groupe investira.",
    ]
    assert split_sentences("- Nordvik : 300 M€\n- Kuroda : 70 M€") == [
        "- Nordvik : 300 M€",
        "- Kuroda : 70 M€",
    ]


def test_the_event_a_sentence_names() -> None:
    assert event_of("Le sommet Choose France s'est tenu lundi à Versailles.") == "cf"
    assert event_of("Les patrons étrangers réunis lundi au château de Versailles ont promis.") == "cf"
    assert event_of("Au salon VivaTech, le groupe a promis 100 millions.") == "other"
    assert event_of("Le programme Choose France for Science accueille des chercheurs.") == "other"
    assert event_of("Le groupe investira à Lyon.") == "none"


def test_units_know_their_kind_paragraph_and_inherited_event() -> None:
    title, units = build_units(
        "Le sommet Choose France s'est tenu lundi.\n\n- Nordvik : 300 M€ à Lyon.\n\n10h05 – Le groupe investit.",
        "Choose France : les annonces",
    )
    assert title == "Choose France : les annonces"
    assert [(u.para, u.kind, u.context) for u in units] == [
        (-1, "title", "cf"), (0, "sentence", "cf"), (1, "item", "cf"), (2, "sentence", "cf"),
    ]  # fmt: skip
    assert units[3].entry  # a live blog's timestamp opens an entry of its own
