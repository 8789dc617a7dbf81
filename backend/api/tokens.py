from __future__ import annotations

from fastapi import APIRouter

from backend.api.deps import AddressDep, CurrentUser, SessionDep
from backend.schemas.accounts import TokenCreate, TokenCreated, TokenOut
from backend.schemas.common import Id
from backend.services import accounts, audit

router = APIRouter(prefix="/tokens", tags=["tokens"])


@router.get("", name="list")
def list_tokens(session: SessionDep, user: CurrentUser) -> list[TokenOut]:
    """Your personal API tokens (never the tokens themselves)."""
    return [TokenOut.model_validate(t) for t in accounts.list_tokens(session, user)]


@router.post("", name="create", status_code=201)
def create_token(
    body: TokenCreate, session: SessionDep, user: CurrentUser, address: AddressDep
) -> TokenCreated:
    """A personal API token for scripts and services; the answer is the only time it is shown."""
    audit.record(session, "token.create", user, address=address, target=body.name)
    row, plaintext = accounts.create_personal_token(session, user, body.name, body.expires_in_days)
    return TokenCreated(**TokenOut.model_validate(row).model_dump(), token=plaintext)


@router.delete("/{token_id}", name="revoke")
def revoke_token(
    token_id: Id, session: SessionDep, user: CurrentUser, address: AddressDep
) -> TokenOut:
    audit.record(session, "token.revoke", user, address=address, target=str(token_id))
    return TokenOut.model_validate(accounts.revoke_personal_token(session, user, token_id))
