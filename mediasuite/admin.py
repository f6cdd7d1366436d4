"""The operator's home: every screen here asks the permission policies."""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group
from django.db.models import Count
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from . import connections_admin  # noqa: F401  (registers its screen)
from .live import admin as live_admin  # noqa: F401  (registers its screens)
from .logins import AdminLoginForm
from .models import Club, Membership, User
from .policies import policy_for
from .policies.admin import PolicyAdmin
from .services import admin as services_admin  # noqa: F401
from .supervisor import admin as supervisor_admin  # noqa: F401

admin.site.site_header = "MediaSuite administration"
admin.site.site_title = "MediaSuite"
admin.site.index_title = "Operator home"
# The app list is on the operator home; beside a change list it would leave the columns too little of a
# 1280 px screen.
admin.site.enable_nav_sidebar = False
admin.site.login_form = AdminLoginForm


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "created_at")
    readonly_fields = ("created_at",)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Club)
class ClubAdmin(PolicyAdmin):
    list_display = ("name", "slug", "member_count", "created_at")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_total=Count("memberships", distinct=True))

    @admin.display(description="members", ordering="member_total")
    def member_count(self, obj):
        return obj.member_total


@admin.register(Membership)
class MembershipAdmin(PolicyAdmin):
    list_display = ("user", "club", "created_at")
    list_filter = ("club",)
    list_select_related = ("user", "club")
    search_fields = ("user__username", "club__name")
    autocomplete_fields = ()


class UserCreationWithClubsForm(AdminUserCreationForm):
    clubs = forms.ModelMultipleChoiceField(queryset=Club.objects.none(), required=False)

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "role")


@admin.register(User)
class MediaSuiteUserAdmin(PolicyAdmin, UserAdmin):
    add_form = UserCreationWithClubsForm
    list_display = ("username", "email", "role", "is_active", "last_login")
    list_filter = ("role", "is_active", "memberships__club")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("role", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "role", "clubs", "usable_password", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "clubs" in form.base_fields:
            form.base_fields["clubs"].queryset = policy_for(Club).queryset(request.user, "change")
        return form

    def save_model(self, request, obj, form, change):
        self.domain.save(request.user, obj, clubs=form.cleaned_data.get("clubs"))


admin.site.unregister(TokenProxy)
admin.site.unregister(Group)  # roles and clubs are the permission model; groups are unused


@admin.register(TokenProxy)
class ApiTokenAdmin(PolicyAdmin, TokenAdmin):
    list_display = ("user", "created")
    list_select_related = ("user",)
