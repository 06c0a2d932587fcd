"""Optional sign-in (``sign_in = true``) with streamlit-authenticator and the accounts in
``users.yaml`` (``oncoguide users add``). Off by default: a single workstation has one user
with every role."""

from __future__ import annotations

import streamlit as st
import streamlit_authenticator as stauth

from app import services
from app.render import literal
from rag.errors import OncoGuideError
from rag.review.access import User, UserDirectory, workstation_user
from rag.review.audit import AuditEvent


def sign_in() -> User | None:
    """The user of this session, or None while the sign-in form (drawn here) waits for one.
    The caller shows nothing else then."""
    cfg = services.settings()
    if not cfg.sign_in:
        return workstation_user()
    directory = UserDirectory(cfg.users_file)
    accounts = directory.credentials()
    if not accounts.get("usernames"):
        st.error(
            "Sign-in is on but no account exists. Create one on this machine with "
            "`oncoguide users add USERNAME --name 'Dr Name' --role clinician`."
        )
        return None
    try:
        cookie = directory.cookie()  # fails closed on a missing or weak signing key
    except OncoGuideError as exc:
        st.error(literal(str(exc)))
        return None
    authenticator = stauth.Authenticate(
        accounts,
        cookie.get("name", "oncoguide_signin"),
        cookie["key"],
        float(cookie.get("expiry_days", 0.5)),  # checked by directory.cookie()
        auto_hash=False,
    )
    try:
        authenticator.login(location="main", fields={"Form name": "Sign in", "Login": "Sign in"})
    except stauth.utilities.exceptions.LoginError as exc:
        st.error(literal(str(exc)))
    status = st.session_state.get("authentication_status")
    if status is False:
        st.error("Wrong username or password.")
    if not status:
        # Signed out (or not yet in): the next sign-in is audited again.
        st.session_state.pop(services.USER_KEY, None)
        st.caption("Accounts are managed on this machine with `oncoguide users`.")
        return None
    user = directory.get(str(st.session_state.get("username")))
    if user is None or not user.roles:
        st.session_state.pop(services.USER_KEY, None)
        st.error("This account has no role in OncoGuide; ask an administrator.")
        return None
    if st.session_state.get(services.USER_KEY) != user:
        st.session_state[services.USER_KEY] = user
        services.store().log(AuditEvent(user.name, "sign-in", (user.username,)))
    with st.sidebar:
        st.caption(f"Signed in as **{literal(user.name)}** ({', '.join(user.roles)})")
        authenticator.logout("Sign out", location="sidebar")
    return user
