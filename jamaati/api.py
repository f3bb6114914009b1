"""The JSON API, mounted at /api/v1/. Each app contributes a router from its api.py."""

from ninja import NinjaAPI

from jamaati.apikeys.api import router as apikeys_router
from jamaati.core import api_errors
from jamaati.procedures.api import router as procedures_router
from jamaati.programmes.api import router as programmes_router
from jamaati.servicerequests.api import router as servicerequests_router
from jamaati.territories.api import router as territories_router

api = NinjaAPI(
    title="Jamaati API",
    version="1.0.0",
    description="The API of Jamaati, the platform of Moroccan territorial collectivities.",
    urls_namespace="api",
)
api_errors.install(api)
api.add_router("/territories/", territories_router)
api.add_router("/service-requests/", servicerequests_router)
api.add_router("/procedures/", procedures_router)
api.add_router("/programmes/", programmes_router)
api.add_router("/", apikeys_router)
