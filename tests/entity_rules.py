"""Shared by the people, organisation and place tests: those three families alone, in pipeline order."""
from anttkg.extract import organizations as org_rules, people as people_rules, places as place_rules
from anttkg.extract.context import ArticleText
from anttkg.extract.sentences import split_sentences
from anttkg.models import Article, Extraction


def extract_entities(article: Article) -> Extraction:
    """Organisations, places and people of an article, without the other families' rules."""
    doc = ArticleText.of(article, split_sentences(article.full_text))
    found = Extraction(article=article, sentences=doc.sentences)
    found.organizations = org_rules.find_organizations(doc)
    found.places = place_rules.find_places(doc, found)
    found.people = people_rules.find_people(doc, found)
    return found
