from modeltranslation.translator import TranslationOptions, register

from jamaati.programmes.models import (
    Candidate,
    Convention,
    Criterion,
    Milestone,
    Partner,
    Programme,
    Project,
    SteeringCommittee,
    StrategicAxis,
)


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(StrategicAxis)
class StrategicAxisTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Partner)
class PartnerTranslationOptions(TranslationOptions):
    fields = ("name",)


@register(Project)
class ProjectTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Milestone)
class MilestoneTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Convention)
class ConventionTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(SteeringCommittee)
class SteeringCommitteeTranslationOptions(TranslationOptions):
    fields = ("name", "rationale")


@register(Criterion)
class CriterionTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(Candidate)
class CandidateTranslationOptions(TranslationOptions):
    fields = ("rationale",)
