from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.exports_predictions_format import ExportsPredictionsFormat
from ...models.exports_predictions_stage import ExportsPredictionsStage
from ...models.exports_predictions_status_type_0_item import ExportsPredictionsStatusType0Item
from ...models.http_validation_error import HTTPValidationError
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    project_id: int,
    job_id: int,
    *,
    format_: ExportsPredictionsFormat | Unset = ExportsPredictionsFormat.COCO,
    stage: ExportsPredictionsStage | Unset = ExportsPredictionsStage.DETECT,
    images: bool | Unset = False,
    status: list[ExportsPredictionsStatusType0Item] | None | Unset = UNSET,
    ticket: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    json_stage: str | Unset = UNSET
    if not isinstance(stage, Unset):
        json_stage = stage.value

    params["stage"] = json_stage

    params["images"] = images

    json_status: list[str] | None | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, list):
        json_status = []
        for status_type_0_item_data in status:
            status_type_0_item = status_type_0_item_data.value
            json_status.append(status_type_0_item)

    else:
        json_status = status
    params["status"] = json_status

    json_ticket: None | str | Unset
    if isinstance(ticket, Unset):
        json_ticket = UNSET
    else:
        json_ticket = ticket
    params["ticket"] = json_ticket

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/projects/{project_id}/jobs/{job_id}/predictions/export".format(
            project_id=quote(str(project_id), safe=""),
            job_id=quote(str(job_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | ErrorBody | HTTPValidationError | File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorBody.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

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

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: int,
    job_id: int,
    *,
    client: AuthenticatedClient,
    format_: ExportsPredictionsFormat | Unset = ExportsPredictionsFormat.COCO,
    stage: ExportsPredictionsStage | Unset = ExportsPredictionsStage.DETECT,
    images: bool | Unset = False,
    status: list[ExportsPredictionsStatusType0Item] | None | Unset = UNSET,
    ticket: None | str | Unset = UNSET,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | File]:
    """Predictions

     A job's predictions with their scores as a zip: COCO's results format (`results.json`,
    with `annotations.json` holding the images, categories and ground truth), VOC with a
    `<score>` per object, or YOLO with the score as a sixth number. Only images with a
    prediction left by the `status` filter are in it. Accepts `?ticket=`. 422 for an unknown
    status.

    Args:
        project_id (int):
        job_id (int):
        format_ (ExportsPredictionsFormat | Unset):  Default: ExportsPredictionsFormat.COCO.
        stage (ExportsPredictionsStage | Unset): detect (for review) or evaluate (on the holdout
            pool) Default: ExportsPredictionsStage.DETECT.
        images (bool | Unset): include the image files (originals) Default: False.
        status (list[ExportsPredictionsStatusType0Item] | None | Unset): only predictions in these
            review statuses (repeat the parameter for several: `?status=pending&status=accepted`);
            left out: all
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | File]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        job_id=job_id,
        format_=format_,
        stage=stage,
        images=images,
        status=status,
        ticket=ticket,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: int,
    job_id: int,
    *,
    client: AuthenticatedClient,
    format_: ExportsPredictionsFormat | Unset = ExportsPredictionsFormat.COCO,
    stage: ExportsPredictionsStage | Unset = ExportsPredictionsStage.DETECT,
    images: bool | Unset = False,
    status: list[ExportsPredictionsStatusType0Item] | None | Unset = UNSET,
    ticket: None | str | Unset = UNSET,
) -> ErrorBody | ErrorBody | HTTPValidationError | File | None:
    """Predictions

     A job's predictions with their scores as a zip: COCO's results format (`results.json`,
    with `annotations.json` holding the images, categories and ground truth), VOC with a
    `<score>` per object, or YOLO with the score as a sixth number. Only images with a
    prediction left by the `status` filter are in it. Accepts `?ticket=`. 422 for an unknown
    status.

    Args:
        project_id (int):
        job_id (int):
        format_ (ExportsPredictionsFormat | Unset):  Default: ExportsPredictionsFormat.COCO.
        stage (ExportsPredictionsStage | Unset): detect (for review) or evaluate (on the holdout
            pool) Default: ExportsPredictionsStage.DETECT.
        images (bool | Unset): include the image files (originals) Default: False.
        status (list[ExportsPredictionsStatusType0Item] | None | Unset): only predictions in these
            review statuses (repeat the parameter for several: `?status=pending&status=accepted`);
            left out: all
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | File
    """

    return sync_detailed(
        project_id=project_id,
        job_id=job_id,
        client=client,
        format_=format_,
        stage=stage,
        images=images,
        status=status,
        ticket=ticket,
    ).parsed


async def asyncio_detailed(
    project_id: int,
    job_id: int,
    *,
    client: AuthenticatedClient,
    format_: ExportsPredictionsFormat | Unset = ExportsPredictionsFormat.COCO,
    stage: ExportsPredictionsStage | Unset = ExportsPredictionsStage.DETECT,
    images: bool | Unset = False,
    status: list[ExportsPredictionsStatusType0Item] | None | Unset = UNSET,
    ticket: None | str | Unset = UNSET,
) -> Response[ErrorBody | ErrorBody | HTTPValidationError | File]:
    """Predictions

     A job's predictions with their scores as a zip: COCO's results format (`results.json`,
    with `annotations.json` holding the images, categories and ground truth), VOC with a
    `<score>` per object, or YOLO with the score as a sixth number. Only images with a
    prediction left by the `status` filter are in it. Accepts `?ticket=`. 422 for an unknown
    status.

    Args:
        project_id (int):
        job_id (int):
        format_ (ExportsPredictionsFormat | Unset):  Default: ExportsPredictionsFormat.COCO.
        stage (ExportsPredictionsStage | Unset): detect (for review) or evaluate (on the holdout
            pool) Default: ExportsPredictionsStage.DETECT.
        images (bool | Unset): include the image files (originals) Default: False.
        status (list[ExportsPredictionsStatusType0Item] | None | Unset): only predictions in these
            review statuses (repeat the parameter for several: `?status=pending&status=accepted`);
            left out: all
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | ErrorBody | HTTPValidationError | File]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        job_id=job_id,
        format_=format_,
        stage=stage,
        images=images,
        status=status,
        ticket=ticket,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: int,
    job_id: int,
    *,
    client: AuthenticatedClient,
    format_: ExportsPredictionsFormat | Unset = ExportsPredictionsFormat.COCO,
    stage: ExportsPredictionsStage | Unset = ExportsPredictionsStage.DETECT,
    images: bool | Unset = False,
    status: list[ExportsPredictionsStatusType0Item] | None | Unset = UNSET,
    ticket: None | str | Unset = UNSET,
) -> ErrorBody | ErrorBody | HTTPValidationError | File | None:
    """Predictions

     A job's predictions with their scores as a zip: COCO's results format (`results.json`,
    with `annotations.json` holding the images, categories and ground truth), VOC with a
    `<score>` per object, or YOLO with the score as a sixth number. Only images with a
    prediction left by the `status` filter are in it. Accepts `?ticket=`. 422 for an unknown
    status.

    Args:
        project_id (int):
        job_id (int):
        format_ (ExportsPredictionsFormat | Unset):  Default: ExportsPredictionsFormat.COCO.
        stage (ExportsPredictionsStage | Unset): detect (for review) or evaluate (on the holdout
            pool) Default: ExportsPredictionsStage.DETECT.
        images (bool | Unset): include the image files (originals) Default: False.
        status (list[ExportsPredictionsStatusType0Item] | None | Unset): only predictions in these
            review statuses (repeat the parameter for several: `?status=pending&status=accepted`);
            left out: all
        ticket (None | str | Unset): a files ticket (POST /api/tickets) where no header can be
            sent (<img src>, a download link); never the bearer token

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | ErrorBody | HTTPValidationError | File
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            job_id=job_id,
            client=client,
            format_=format_,
            stage=stage,
            images=images,
            status=status,
            ticket=ticket,
        )
    ).parsed
