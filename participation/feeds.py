"""A process's news as an Atom feed (Django's syndication framework): status steps of its
measures and projects, the city's answers to feedback, new phases and, from the apps
above, published results. German at /prozesse/<slug>/neuigkeiten.atom, English under /en/."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import extensions, selectors

FEED_ITEMS = 50


class ProcessNewsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(selectors.published_processes(), slug=slug)

    def title(self, process):
        return _("%(title)s: Neuigkeiten") % {"title": process.title_t}

    def subtitle(self, process):
        return _(
            "Neuer Stand von Maßnahmen und Projekten, Antworten der Stadt, neue Phasen und veröffentlichte Ergebnisse."
        )

    def link(self, process):
        return process.get_absolute_url()

    def feed_url(self, process):
        return f"{process.get_absolute_url()}neuigkeiten.atom"

    def feed_guid(self, process):
        return f"{process.get_absolute_url()}neuigkeiten.atom"

    def language(self, process):
        return get_language()

    def items(self, process):
        news = selectors.process_news(process) + extensions.process_news(process)
        return sorted(news, key=lambda item: (item["date"], item["id"]), reverse=True)[:FEED_ITEMS]

    def item_title(self, item):
        return item["title"]

    def item_description(self, item):
        return item["text"]

    def item_link(self, item):
        return item["link"]

    def item_guid(self, item):
        return f"{item['link']}|{item['id']}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item["date"]

    def item_updateddate(self, item):
        return item["date"]
