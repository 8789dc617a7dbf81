"""Contains all the data models used in inputs/outputs"""

from .accept_request import AcceptRequest
from .accept_result import AcceptResult
from .adapt_spec import AdaptSpec
from .adapt_spec_params import AdaptSpecParams
from .adaptation_curve_out import AdaptationCurveOut
from .annotation_activity_out import AnnotationActivityOut
from .annotation_in import AnnotationIn
from .annotation_out import AnnotationOut
from .annotation_update import AnnotationUpdate
from .annotations_replace import AnnotationsReplace
from .annotations_replace_state_type_0 import AnnotationsReplaceStateType0
from .audit_event_out import AuditEventOut
from .audit_event_out_detail import AuditEventOutDetail
from .auth_status import AuthStatus
from .blob_stored import BlobStored
from .body_images_upload import BodyImagesUpload
from .body_images_upload_pool import BodyImagesUploadPool
from .body_imports_create import BodyImportsCreate
from .body_imports_create_format_type_0 import BodyImportsCreateFormatType0
from .body_imports_create_pool import BodyImportsCreatePool
from .body_imports_create_state import BodyImportsCreateState
from .checkpoint_out import CheckpointOut
from .checkpoint_out_metrics import CheckpointOutMetrics
from .class_init import ClassInit
from .class_ref import ClassRef
from .credentials import Credentials
from .demo_created import DemoCreated
from .demo_request import DemoRequest
from .detect_params import DetectParams
from .detect_spec import DetectSpec
from .detection_settings import DetectionSettings
from .error_body import ErrorBody
from .evaluate_spec import EvaluateSpec
from .evaluate_spec_params import EvaluateSpecParams
from .evaluated_box import EvaluatedBox
from .evaluated_box_match_type_0 import EvaluatedBoxMatchType0
from .export_onnx_params import ExportOnnxParams
from .export_onnx_spec import ExportOnnxSpec
from .exports_annotations_format import ExportsAnnotationsFormat
from .exports_annotations_pool import ExportsAnnotationsPool
from .exports_annotations_state_type_0 import ExportsAnnotationsStateType0
from .exports_predictions_format import ExportsPredictionsFormat
from .exports_predictions_stage import ExportsPredictionsStage
from .exports_predictions_status_type_0_item import ExportsPredictionsStatusType0Item
from .fail_answer import FailAnswer
from .fail_report import FailReport
from .generate_params import GenerateParams
from .generate_pool import GeneratePool
from .generate_pool_pool import GeneratePoolPool
from .generate_spec import GenerateSpec
from .health import Health
from .heartbeat import Heartbeat
from .http_validation_error import HTTPValidationError
from .image_evaluation_out import ImageEvaluationOut
from .image_out import ImageOut
from .image_out_state import ImageOutState
from .image_pool_update import ImagePoolUpdate
from .image_pool_update_pool_type_0 import ImagePoolUpdatePoolType0
from .image_pool_update_state_type_0 import ImagePoolUpdateStateType0
from .images_list_count import ImagesListCount
from .images_list_pool_type_0 import ImagesListPoolType0
from .images_list_state_type_0 import ImagesListStateType0
from .images_pool_update import ImagesPoolUpdate
from .images_pool_update_pool import ImagesPoolUpdatePool
from .images_state_update import ImagesStateUpdate
from .images_state_update_state import ImagesStateUpdateState
from .import_outcome import ImportOutcome
from .import_problem import ImportProblem
from .import_refusal import ImportRefusal
from .import_report import ImportReport
from .import_report_format import ImportReportFormat
from .import_report_pools import ImportReportPools
from .job_create import JobCreate
from .job_create_kind import JobCreateKind
from .job_detail import JobDetail
from .job_detail_params import JobDetailParams
from .job_detail_result import JobDetailResult
from .job_detail_timings import JobDetailTimings
from .job_event import JobEvent
from .job_event_data import JobEventData
from .job_out import JobOut
from .job_out_params import JobOutParams
from .job_out_result import JobOutResult
from .job_out_timings import JobOutTimings
from .job_params import JobParams
from .job_queue_out import JobQueueOut
from .label_class_in import LabelClassIn
from .label_class_out import LabelClassOut
from .label_class_update import LabelClassUpdate
from .login_result import LoginResult
from .loss_point import LossPoint
from .member_in import MemberIn
from .member_in_role import MemberInRole
from .member_out import MemberOut
from .member_out_role import MemberOutRole
from .member_update import MemberUpdate
from .member_update_role import MemberUpdateRole
from .metric_out import MetricOut
from .metrics_out import MetricsOut
from .missed_box import MissedBox
from .model_detail import ModelDetail
from .model_detail_card import ModelDetailCard
from .model_detail_metrics import ModelDetailMetrics
from .model_detail_routine import ModelDetailRoutine
from .model_detail_training_set import ModelDetailTrainingSet
from .model_out import ModelOut
from .model_out_metrics import ModelOutMetrics
from .model_out_routine import ModelOutRoutine
from .model_out_training_set import ModelOutTrainingSet
from .model_summary import ModelSummary
from .model_summary_card import ModelSummaryCard
from .ok import Ok
from .onnx_export_request import OnnxExportRequest
from .optimizer import Optimizer
from .page_image_out import PageImageOut
from .page_prediction_out import PagePredictionOut
from .page_review_image_out import PageReviewImageOut
from .pr_curve_out import PrCurveOut
from .prediction_out import PredictionOut
from .predictions_list_count import PredictionsListCount
from .predictions_list_sort import PredictionsListSort
from .predictions_list_status_type_0 import PredictionsListStatusType0
from .predictions_review_images_count import PredictionsReviewImagesCount
from .predictions_review_images_sort import PredictionsReviewImagesSort
from .previous_state import PreviousState
from .previous_state_state import PreviousStateState
from .previous_status import PreviousStatus
from .previous_status_status import PreviousStatusStatus
from .progress_answer import ProgressAnswer
from .progress_report import ProgressReport
from .project_create import ProjectCreate
from .project_out import ProjectOut
from .project_out_role import ProjectOutRole
from .project_update import ProjectUpdate
from .reject_request import RejectRequest
from .reject_result import RejectResult
from .result_report import ResultReport
from .result_report_result import ResultReportResult
from .review_apply import ReviewApply
from .review_apply_result import ReviewApplyResult
from .review_image_out import ReviewImageOut
from .review_undo import ReviewUndo
from .review_undo_result import ReviewUndoResult
from .routine import Routine
from .routine_overrides import RoutineOverrides
from .spec_annotation import SpecAnnotation
from .spec_image import SpecImage
from .task_event import TaskEvent
from .task_event_data import TaskEventData
from .task_out import TaskOut
from .task_out_result_summary import TaskOutResultSummary
from .task_start import TaskStart
from .ticket_out import TicketOut
from .ticket_request import TicketRequest
from .ticket_request_purpose import TicketRequestPurpose
from .token_create import TokenCreate
from .token_created import TokenCreated
from .token_out import TokenOut
from .train_layers import TrainLayers
from .training_data import TrainingData
from .user_create import UserCreate
from .user_out import UserOut
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext
from .webhook_delivery_out import WebhookDeliveryOut
from .webhook_delivery_out_payload import WebhookDeliveryOutPayload
from .webhook_delivery_out_state import WebhookDeliveryOutState
from .webhook_in import WebhookIn
from .webhook_in_events_type_0_item import WebhookInEventsType0Item
from .webhook_out import WebhookOut
from .webhook_update import WebhookUpdate
from .webhook_update_events_type_0_item import WebhookUpdateEventsType0Item
from .worker_credential_create import WorkerCredentialCreate
from .worker_credential_created import WorkerCredentialCreated
from .worker_credential_out import WorkerCredentialOut
from .worker_event import WorkerEvent
from .worker_event_data import WorkerEventData
from .worker_out import WorkerOut
from .worker_register import WorkerRegister
from .worker_registered import WorkerRegistered

__all__ = (
    "AcceptRequest",
    "AcceptResult",
    "AdaptationCurveOut",
    "AdaptSpec",
    "AdaptSpecParams",
    "AnnotationActivityOut",
    "AnnotationIn",
    "AnnotationOut",
    "AnnotationsReplace",
    "AnnotationsReplaceStateType0",
    "AnnotationUpdate",
    "AuditEventOut",
    "AuditEventOutDetail",
    "AuthStatus",
    "BlobStored",
    "BodyImagesUpload",
    "BodyImagesUploadPool",
    "BodyImportsCreate",
    "BodyImportsCreateFormatType0",
    "BodyImportsCreatePool",
    "BodyImportsCreateState",
    "CheckpointOut",
    "CheckpointOutMetrics",
    "ClassInit",
    "ClassRef",
    "Credentials",
    "DemoCreated",
    "DemoRequest",
    "DetectionSettings",
    "DetectParams",
    "DetectSpec",
    "ErrorBody",
    "EvaluatedBox",
    "EvaluatedBoxMatchType0",
    "EvaluateSpec",
    "EvaluateSpecParams",
    "ExportOnnxParams",
    "ExportOnnxSpec",
    "ExportsAnnotationsFormat",
    "ExportsAnnotationsPool",
    "ExportsAnnotationsStateType0",
    "ExportsPredictionsFormat",
    "ExportsPredictionsStage",
    "ExportsPredictionsStatusType0Item",
    "FailAnswer",
    "FailReport",
    "GenerateParams",
    "GeneratePool",
    "GeneratePoolPool",
    "GenerateSpec",
    "Health",
    "Heartbeat",
    "HTTPValidationError",
    "ImageEvaluationOut",
    "ImageOut",
    "ImageOutState",
    "ImagePoolUpdate",
    "ImagePoolUpdatePoolType0",
    "ImagePoolUpdateStateType0",
    "ImagesListCount",
    "ImagesListPoolType0",
    "ImagesListStateType0",
    "ImagesPoolUpdate",
    "ImagesPoolUpdatePool",
    "ImagesStateUpdate",
    "ImagesStateUpdateState",
    "ImportOutcome",
    "ImportProblem",
    "ImportRefusal",
    "ImportReport",
    "ImportReportFormat",
    "ImportReportPools",
    "JobCreate",
    "JobCreateKind",
    "JobDetail",
    "JobDetailParams",
    "JobDetailResult",
    "JobDetailTimings",
    "JobEvent",
    "JobEventData",
    "JobOut",
    "JobOutParams",
    "JobOutResult",
    "JobOutTimings",
    "JobParams",
    "JobQueueOut",
    "LabelClassIn",
    "LabelClassOut",
    "LabelClassUpdate",
    "LoginResult",
    "LossPoint",
    "MemberIn",
    "MemberInRole",
    "MemberOut",
    "MemberOutRole",
    "MemberUpdate",
    "MemberUpdateRole",
    "MetricOut",
    "MetricsOut",
    "MissedBox",
    "ModelDetail",
    "ModelDetailCard",
    "ModelDetailMetrics",
    "ModelDetailRoutine",
    "ModelDetailTrainingSet",
    "ModelOut",
    "ModelOutMetrics",
    "ModelOutRoutine",
    "ModelOutTrainingSet",
    "ModelSummary",
    "ModelSummaryCard",
    "Ok",
    "OnnxExportRequest",
    "Optimizer",
    "PageImageOut",
    "PagePredictionOut",
    "PageReviewImageOut",
    "PrCurveOut",
    "PredictionOut",
    "PredictionsListCount",
    "PredictionsListSort",
    "PredictionsListStatusType0",
    "PredictionsReviewImagesCount",
    "PredictionsReviewImagesSort",
    "PreviousState",
    "PreviousStateState",
    "PreviousStatus",
    "PreviousStatusStatus",
    "ProgressAnswer",
    "ProgressReport",
    "ProjectCreate",
    "ProjectOut",
    "ProjectOutRole",
    "ProjectUpdate",
    "RejectRequest",
    "RejectResult",
    "ResultReport",
    "ResultReportResult",
    "ReviewApply",
    "ReviewApplyResult",
    "ReviewImageOut",
    "ReviewUndo",
    "ReviewUndoResult",
    "Routine",
    "RoutineOverrides",
    "SpecAnnotation",
    "SpecImage",
    "TaskEvent",
    "TaskEventData",
    "TaskOut",
    "TaskOutResultSummary",
    "TaskStart",
    "TicketOut",
    "TicketRequest",
    "TicketRequestPurpose",
    "TokenCreate",
    "TokenCreated",
    "TokenOut",
    "TrainingData",
    "TrainLayers",
    "UserCreate",
    "UserOut",
    "ValidationError",
    "ValidationErrorContext",
    "WebhookDeliveryOut",
    "WebhookDeliveryOutPayload",
    "WebhookDeliveryOutState",
    "WebhookIn",
    "WebhookInEventsType0Item",
    "WebhookOut",
    "WebhookUpdate",
    "WebhookUpdateEventsType0Item",
    "WorkerCredentialCreate",
    "WorkerCredentialCreated",
    "WorkerCredentialOut",
    "WorkerEvent",
    "WorkerEventData",
    "WorkerOut",
    "WorkerRegister",
    "WorkerRegistered",
)
