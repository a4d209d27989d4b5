"""Understanding articles: names of places and institutions (gazetteer) and relevance to Vietnam."""

from ttdn.understand.gazetteer import Gazetteer, Mention
from ttdn.understand.relevance import RelevanceResult, relevance_score

__all__ = ["Gazetteer", "Mention", "RelevanceResult", "relevance_score"]
