from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.body_imports_create import BodyImportsCreate
from ...models.error_body import ErrorBody
from ...models.import_refusal import ImportRefusal
from ...models.import_report import ImportReport
from ...types import Response


def _get_kwargs(
    project_id: int,
    *,
    body: BodyImportsCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/projects/{project_id}/imports".format(
            project_id=quote(str(project_id), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ImportRefusal | ImportReport | None:
    if response.status_code == 201:
        response_201 = ImportReport.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = ImportRefusal.from_dict(response.json())

        return response_422

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ImportRefusal | ImportReport]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: BodyImportsCreate,
) -> Response[ErrorBody | ImportRefusal | ImportReport]:
    """Create

     Import a dataset; all or nothing: every image, box and class is checked first, and any
    problem refuses the import (422 listing every problem). A split in the files (COCO image
    `pool`/`split`, VOC ImageSets, YOLO train/val folders) is kept; images already in the
    project that the files name get the imported boxes in place of theirs.

    Args:
        project_id (int):
        body (BodyImportsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ImportRefusal | ImportReport]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: BodyImportsCreate,
) -> ErrorBody | ImportRefusal | ImportReport | None:
    """Create

     Import a dataset; all or nothing: every image, box and class is checked first, and any
    problem refuses the import (422 listing every problem). A split in the files (COCO image
    `pool`/`split`, VOC ImageSets, YOLO train/val folders) is kept; images already in the
    project that the files name get the imported boxes in place of theirs.

    Args:
        project_id (int):
        body (BodyImportsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ImportRefusal | ImportReport
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: BodyImportsCreate,
) -> Response[ErrorBody | ImportRefusal | ImportReport]:
    """Create

     Import a dataset; all or nothing: every image, box and class is checked first, and any
    problem refuses the import (422 listing every problem). A split in the files (COCO image
    `pool`/`split`, VOC ImageSets, YOLO train/val folders) is kept; images already in the
    project that the files name get the imported boxes in place of theirs.

    Args:
        project_id (int):
        body (BodyImportsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ImportRefusal | ImportReport]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    *,
    client: AuthenticatedClient,
    body: BodyImportsCreate,
) -> ErrorBody | ImportRefusal | ImportReport | None:
    """Create

     Import a dataset; all or nothing: every image, box and class is checked first, and any
    problem refuses the import (422 listing every problem). A split in the files (COCO image
    `pool`/`split`, VOC ImageSets, YOLO train/val folders) is kept; images already in the
    project that the files name get the imported boxes in place of theirs.

    Args:
        project_id (int):
        body (BodyImportsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ImportRefusal | ImportReport
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed
