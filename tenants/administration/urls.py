from django.urls import path

from tenants.administration import api, views

urlpatterns = [
    path("users/", views.accounts_page, name="administration-accounts"),
    path("users/<int:pk>/edit/", views.account_edit, name="administration-account-edit"),
    path("users/<int:pk>/password/", views.account_password, name="administration-account-password"),
    path("memberships/", views.memberships_page, name="administration-memberships"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="administration-membership-edit"),
    path("audit/", views.audit_page, name="administration-audit"),
    path("audit/export.<str:fmt>", views.audit_export, name="administration-audit-export"),
    path("api/accounts/", api.AccountListCreate.as_view(), name="api-accounts"),
    path("api/accounts/<int:pk>/", api.AccountDetail.as_view(), name="api-account"),
    path("api/accounts/<int:pk>/password/", api.AccountPassword.as_view(), name="api-account-password"),
    path("api/memberships/", api.MembershipListCreate.as_view(), name="api-memberships"),
    path("api/memberships/<int:pk>/", api.MembershipDetail.as_view(), name="api-membership"),
    path("api/audit-events/", api.AuditEventList.as_view(), name="api-audit-events"),
]
