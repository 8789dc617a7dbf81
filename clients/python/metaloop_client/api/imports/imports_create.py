from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.body_imports_create import BodyImportsCreate
from ...models.error_body import ErrorBody
from ...models.http_validation_error import HTTPValidationError
from ...models.import_refusal import ImportRefusal
from ...models.job_detail import JobDetail
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
) -> ErrorBody | ErrorBody | HTTPValidationError | ImportRefusal | JobDetail | None:
    if response.status_code == 202:
        response_202 = JobDetail.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorBody.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorBody.from_dict(response.json())

        return response_413

    if response.status_code == 422:

        def _parse_response_422(data: object) -> ErrorBody | HTTPValidationError | ImportRefusal:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_422_type_0 = ImportRefusal.from_dict(data)

                return response_422_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_422_type_1 = ErrorBody.from_dict(data)

                return response_422_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_422_type_2 = HTTPValidationError.from_dict(data)

            return response_422_type_2

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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | ImportRefusal | JobDetail]:
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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | ImportRefusal | JobDetail]:
    """Create

     Start an import job and return it at once (202); its progress arrives as job events and
    on `GET /api/projects/{id}/jobs/{job_id}`. All or nothing: every image, box and class is
    checked before anything is stored. The job then ends `succeeded` with the report in
    `result` (images added and matched, boxes, classes added, boxes clipped, pools, skipped
    files), or `failed` with every problem in `result.problems` (each naming its item: file,
    line or annotation id) and nothing stored. A split in the files (COCO image `pool`/`split`,
    VOC ImageSets, YOLO train/val folders) is kept; images already in the project that the
    files name get the imported boxes in place of theirs.

    Args:
        project_id (int):
        body (BodyImportsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | ImportRefusal | JobDetail]
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
) -> ErrorBody | ErrorBody | HTTPValidationError | ImportRefusal | JobDetail | None:
    """Create

     Start an import job and return it at once (202); its progress arrives as job events and
    on `GET /api/projects/{id}/jobs/{job_id}`. All or nothing: every image, box and class is
    checked before anything is stored. The job then ends `succeeded` with the report in
    `result` (images added and matched, boxes, classes added, boxes clipped, pools, skipped
    files), or `failed` with every problem in `result.problems` (each naming its item: file,
    line or annotation id) and nothing stored. A split in the files (COCO image `pool`/`split`,
    VOC ImageSets, YOLO train/val folders) is kept; images already in the project that the
    files name get the imported boxes in place of theirs.

    Args:
        project_id (int):
        body (BodyImportsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | ImportRefusal | JobDetail
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
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | ImportRefusal | JobDetail]:
    """Create

     Start an import job and return it at once (202); its progress arrives as job events and
    on `GET /api/projects/{id}/jobs/{job_id}`. All or nothing: every image, box and class is
    checked before anything is stored. The job then ends `succeeded` with the report in
    `result` (images added and matched, boxes, classes added, boxes clipped, pools, skipped
    files), or `failed` with every problem in `result.problems` (each naming its item: file,
    line or annotation id) and nothing stored. A split in the files (COCO image `pool`/`split`,
    VOC ImageSets, YOLO train/val folders) is kept; images already in the project that the
    files name get the imported boxes in place of theirs.

    Args:
        project_id (int):
        body (BodyImportsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | ImportRefusal | JobDetail]
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
) -> ErrorBody | ErrorBody | HTTPValidationError | ImportRefusal | JobDetail | None:
    """Create

     Start an import job and return it at once (202); its progress arrives as job events and
    on `GET /api/projects/{id}/jobs/{job_id}`. All or nothing: every image, box and class is
    checked before anything is stored. The job then ends `succeeded` with the report in
    `result` (images added and matched, boxes, classes added, boxes clipped, pools, skipped
    files), or `failed` with every problem in `result.problems` (each naming its item: file,
    line or annotation id) and nothing stored. A split in the files (COCO image `pool`/`split`,
    VOC ImageSets, YOLO train/val folders) is kept; images already in the project that the
    files name get the imported boxes in place of theirs.

    Args:
        project_id (int):
        body (BodyImportsCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | ImportRefusal | JobDetail
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            body=body,
        )
    ).parsed
