from ninja import Router, Schema

from jamaati.territories.models import Level, Territory

router = Router(tags=["territories"])


class TerritoryOut(Schema):
    code: str
    slug: str
    name_ar: str
    name_fr: str
    population_2024: int | None


@router.get("/regions", response=list[TerritoryOut])
def regions(request):
    """The 12 regions of Morocco."""
    return list(Territory.objects.filter(level=Level.REGION).order_by("code"))
