from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.credentials import Credentials
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.login_result import LoginResult
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: Credentials,
    x_setup_token: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_setup_token, Unset):
        headers["x-setup-token"] = x_setup_token

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/auth/setup",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | LoginResult | None:
    if response.status_code == 201:
        response_201 = LoginResult.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 422:

        def _parse_response_422(data: object) -> ErrorBody | HTTPValidationError:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_422_type_0 = ErrorBody.from_dict(data)

                return response_422_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_422_type_1 = HTTPValidationError.from_dict(data)

            return response_422_type_1

        response_422 = _parse_response_422(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | LoginResult]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
    x_setup_token: None | str | Unset = UNSET,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | LoginResult]:
    """Setup

     Create the first account, an admin, and log it in; 409 once any account exists. The
    password: at least PASSWORD_MIN_LENGTH (12) characters, not the username (422). With
    ENVIRONMENT=production it needs the X-Setup-Token header (SETUP_TOKEN) and is refused
    without one configured (403): the first admin is then made with `python -m backend.manage
    create-admin`, so that whoever reaches a new server first cannot make themselves admin.

    Args:
        x_setup_token (None | str | Unset): SETUP_TOKEN; needed when ENVIRONMENT=production
        body (Credentials):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | LoginResult]
    """

    kwargs = _get_kwargs(
        body=body,
        x_setup_token=x_setup_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
    x_setup_token: None | str | Unset = UNSET,
) -> ErrorBody | ErrorBody | HTTPValidationError | LoginResult | None:
    """Setup

     Create the first account, an admin, and log it in; 409 once any account exists. The
    password: at least PASSWORD_MIN_LENGTH (12) characters, not the username (422). With
    ENVIRONMENT=production it needs the X-Setup-Token header (SETUP_TOKEN) and is refused
    without one configured (403): the first admin is then made with `python -m backend.manage
    create-admin`, so that whoever reaches a new server first cannot make themselves admin.

    Args:
        x_setup_token (None | str | Unset): SETUP_TOKEN; needed when ENVIRONMENT=production
        body (Credentials):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | LoginResult
    """

    return sync_detailed(
        client=client,
        body=body,
        x_setup_token=x_setup_token,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
    x_setup_token: None | str | Unset = UNSET,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | LoginResult]:
    """Setup

     Create the first account, an admin, and log it in; 409 once any account exists. The
    password: at least PASSWORD_MIN_LENGTH (12) characters, not the username (422). With
    ENVIRONMENT=production it needs the X-Setup-Token header (SETUP_TOKEN) and is refused
    without one configured (403): the first admin is then made with `python -m backend.manage
    create-admin`, so that whoever reaches a new server first cannot make themselves admin.

    Args:
        x_setup_token (None | str | Unset): SETUP_TOKEN; needed when ENVIRONMENT=production
        body (Credentials):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | LoginResult]
    """

    kwargs = _get_kwargs(
        body=body,
        x_setup_token=x_setup_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
    x_setup_token: None | str | Unset = UNSET,
) -> ErrorBody | ErrorBody | HTTPValidationError | LoginResult | None:
    """Setup

     Create the first account, an admin, and log it in; 409 once any account exists. The
    password: at least PASSWORD_MIN_LENGTH (12) characters, not the username (422). With
    ENVIRONMENT=production it needs the X-Setup-Token header (SETUP_TOKEN) and is refused
    without one configured (403): the first admin is then made with `python -m backend.manage
    create-admin`, so that whoever reaches a new server first cannot make themselves admin.

    Args:
        x_setup_token (None | str | Unset): SETUP_TOKEN; needed when ENVIRONMENT=production
        body (Credentials):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | LoginResult
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            x_setup_token=x_setup_token,
        )
    ).parsed
