"""The form engine of e-services: schemas, answers, and the builder's services.

For the page engineers:

Schema (`forms_engine.schema`)
    FIELD_TYPES (type → translated name), OPTION_KEYS, CONDITION_OPS, text_in(texts, language),
    iter_fields / field_index / flat_fields, file_kinds / file_max_bytes / file_max_files,
    schema_errors(schema, complete=, document_codes=), schema_check(...)

Answers (`forms_engine.answers`)
    answers_validate(schema, answers, partial=False, documents=None) → AnswersResult(cleaned, errors)
    answers_clean(schema, answers, documents=None) → cleaned, or ValidationError per field
    visible_keys(schema, answers), condition_holds(condition, answers)
    normalise_cin(raw), normalise_phone(raw)

Display (`forms_engine.display`)
    answers_display(schema, answers, language=, files=) → [DisplayedSection(title, answers)]
    value_text(field, value, language=, files=), schema_localised(schema, language) (preview)

Builder services (`forms_engine.builder`; organisation admins only)
    form_draft_add_section, form_draft_update_section, form_draft_move_section,
    form_draft_remove_section, form_draft_add_field, form_draft_update_field,
    form_draft_move_field, form_draft_remove_field, form_draft_set_condition,
    form_draft_replace, form_draft_reset, form_publish → FormVersion

The schema format and the versioning are described in docs/adr/0006-procedures.md.
"""
