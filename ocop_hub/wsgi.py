import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop_hub.settings")
django_application = get_wsgi_application()  # sets Django up: import apps' modules only after it

from traceability.resolver import ResolverDispatch  # noqa: E402

# GS1 Digital Link scans (/01/…) are answered in front of Django's middleware; the rest is Django.
application = ResolverDispatch(django_application)

# What was loaded at start (Django, the apps, the URL map) lives as long as the process: kept out of the
# garbage collector's full passes, which otherwise walk it every time a page builds many objects (a
# national report reads 30,000 certificates: +100 ms now and then, issue 9's bench).
gc.freeze()
