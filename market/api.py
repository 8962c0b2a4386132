from ninja import Router

from market.api_catalogue import router as catalogue_router
from market.api_search import router as search_router

router = Router(tags=["market"])
router.add_router("/search", search_router)
router.add_router("", catalogue_router)
