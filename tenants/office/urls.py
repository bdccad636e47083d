from django.urls import path

from tenants.office import api, views

urlpatterns = [
    path("office/settings/", views.settings_page, name="office-settings"),
    path("office/settings/preset/", views.preset_apply, name="office-preset"),
    path("office/holidays/", views.holidays_page, name="office-holidays"),
    path("office/holidays/import/", views.holidays_import_page, name="office-holidays-import"),
    path(
        "office/holidays/import/template.xlsx",
        views.holidays_import_template_page,
        name="office-holidays-import-template",
    ),
    path("office/bundles/", views.bundles_page, name="office-bundles"),
    path("office/bundles/export/<str:code>/", views.bundle_export_page, name="office-bundle-export"),
    path("office/bundles/<int:pk>/ack/", views.bundle_ack_page, name="office-bundle-ack"),
    path("office/categories/", views.categories_page, name="office-categories"),
    path("office/categories/<int:pk>/", views.categories_page, name="office-category"),
    path("api/office/settings/", api.SettingsView.as_view(), name="api-office-settings"),
    path("api/office/finding-categories/", api.CategoryListCreate.as_view(), name="api-office-categories"),
    path("api/office/holidays/", api.HolidayListSet.as_view(), name="api-office-holidays"),
    path("api/office/deadline/", api.DeadlineView.as_view(), name="api-office-deadline"),
]
