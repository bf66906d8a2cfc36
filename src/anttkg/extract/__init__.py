"""Extract stage: an Article in, an Extraction (typed mentions with spans) out.

Each family of mentions has its own module; later families read what earlier ones found
(events need people, places, organisations and dates; incidents also the events, so that a dated
conference about crime is no crime; dated happenings come last, on the days nothing else dates), so the
order below matters.
"""
from __future__ import annotations

from ..models import Article, Extraction
from . import (awards, dates, documents, events, figures, incidents, numbers, organizations, people, places,
               programs)
from .context import ArticleText
from .sentences import split_sentences


def extract(article: Article) -> Extraction:
    sentences = split_sentences(article.full_text)
    doc = ArticleText.of(article, sentences)
    found = Extraction(article=article, sentences=sentences)
    found.dates = dates.find_dates(doc)
    found.reference_year = dates.reference_year(doc, found.dates)
    found.numbers = numbers.find_numbers(doc)
    found.organizations = organizations.find_organizations(doc)
    found.places = places.find_places(doc, found)
    found.people = people.find_people(doc, found)
    found.places = places.without_person_names(found.places, found.people, doc.match)
    found.documents = documents.find_documents(doc, found)
    found.programs = programs.find_programs(doc, found)
    found.events = events.find_events(doc, found)
    found.incidents = incidents.find_incidents(doc, found)
    found.events += events.find_happenings(doc, found)  # days left over by occasions and incidents
    found.awards = awards.find_awards(doc, found)
    found.figures = figures.find_figures(doc, found)
    return found


__all__ = ["extract", "ArticleText"]
