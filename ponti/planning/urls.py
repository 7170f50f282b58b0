from django.urls import path

from .views import budget, documents, imports, objectives

app_name = "planning"

urlpatterns = [
    # The objectives tree and an objective's page, with its indicators.
    path("", objectives.objective_list, name="objective_list"),
    path("obiettivi/nuovo/", objectives.objective_create, name="objective_create"),
    path("obiettivi/<int:pk>/", objectives.objective_detail, name="objective_detail"),
    path("obiettivi/<int:pk>/modifica/", objectives.objective_edit, name="objective_edit"),
    path("obiettivi/<int:pk>/elimina/", objectives.objective_delete, name="objective_delete"),
    path(
        "obiettivi/<int:pk>/indicatori/nuovo/", objectives.indicator_create, name="indicator_create"
    ),
    path("indicatori/<int:pk>/modifica/", objectives.indicator_edit, name="indicator_edit"),
    path("indicatori/<int:pk>/valori/", objectives.indicator_values, name="indicator_values"),
    path("indicatori/<int:pk>/elimina/", objectives.indicator_delete, name="indicator_delete"),
    # Documents: the DUP sheet, the stato di attuazione, the budget lines as XLSX.
    path("obiettivi/<int:pk>/scheda.<str:fmt>", documents.objective_sheet, name="objective_sheet"),
    path(
        "obiettivi/<int:pk>/stato-di-attuazione/<int:year>.<str:fmt>",
        documents.progress_report,
        name="progress_report",
    ),
    path("capitoli/capitoli.xlsx", documents.lines_xlsx, name="lines_xlsx"),
    # Budget lines (capitoli), their amounts per year and movements.
    path("capitoli/", budget.line_list, name="line_list"),
    path("capitoli/nuovo/", budget.line_create, name="line_create"),
    path("capitoli/<int:pk>/", budget.line_detail, name="line_detail"),
    path("capitoli/<int:pk>/modifica/", budget.line_edit, name="line_edit"),
    path("capitoli/<int:pk>/elimina/", budget.line_delete, name="line_delete"),
    path("capitoli/<int:pk>/importi/<int:year>/", budget.amount_edit, name="line_amount_edit"),
    # Imports: amounts from the accounting system; the budget classification (administrators).
    path("capitoli/importa/", imports.import_amounts, name="import_amounts"),
    path("classificazione/", imports.classification_list, name="classification_list"),
    path("classificazione/importa/", imports.import_classification, name="import_classification"),
]
