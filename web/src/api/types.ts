// Named API types, all aliases of the schemas generated from openapi.json
// (`npm run gen:api` regenerates schema.d.ts). Do not describe API shapes by hand here.
import type { components, paths } from './schema';

type S = components['schemas'];

export type Tier = S['Tier'];
export type Ownership = S['Ownership'];
export type AccountStatus = S['AccountStatus'];
export type CampaignStatus = S['CampaignStatus'];
export type Role = S['Role'];
export type Group = S['Group'];
export type Capability = S['Capability'];
export type FieldEntity = S['FieldEntity'];
export type FieldKind = S['FieldKind'];

export type ApiErrorBody = S['ErrorBody'];

export type LoginRequest = S['LoginRequest'];
export type User = S['User'];
export type Me = S['Me'];
export type WorkspaceMembership = S['MyWorkspace'];
export type UpdateMe = S['UpdateMe'];
export type ChangePassword = S['ChangePassword'];
export type Session = S['SessionInfo'];
export type ApiToken = S['TokenInfo'];
export type CreatedApiToken = S['CreatedToken'];

export type Workspace = S['Workspace'];
export type WorkspacePatch = S['UpdateWorkspace'];
export type Platform = S['Platform'];
export type PlatformInput = S['CreatePlatform'];
export type PlatformPatch = S['PlatformPatch'];

export type Account = S['Account'];
export type AccountInput = S['AccountDraft'];
export type AccountPatch = S['AccountPatch'];
export type AccountPage = S['Page_Account'];
export type AccountOverview = S['MatrixOverview'];

export type Campaign = S['Campaign'];
export type CampaignInput = S['CampaignDraft'];
export type CampaignPatch = S['CampaignPatch'];
export type CampaignPage = S['Page_Campaign'];
export type BudgetByTier = NonNullable<CampaignInput['budget_by_tier']>;

export type Member = S['Member'];
export type MemberPatch = S['UpdateMember'];

export type Invitation = S['Invitation'];
export type InvitationInput = S['InvitationDraft'];
export type CreatedInvitation = S['CreatedInvitation'];
export type InvitationView = S['InvitationView'];
export type InvitationRegister = S['RegisterRequest'];

export type CustomField = S['CustomField'];
export type CustomFieldInput = S['CreateField'];
export type CustomFieldPatch = S['UpdateField'];
/** Values of the `custom` map of an account or a campaign, keyed by field key. */
export type CustomValues = NonNullable<AccountInput['custom']>;

export type Event = S['Event'];
export type EventPage = S['EventPage'];

export type ReviewState = S['ReviewState'];
export type ContentItem = S['ContentItem'];
export type ContentCard = S['ContentCard'];
export type Board = S['Board'];
export type BoardColumn = S['BoardColumn'];
export type ContentInput = S['ContentDraft'];
export type ContentPatch = S['ContentPatch'];
export type ReviewRecord = S['ReviewRecord'];
export type PublishPack = S['PublishPack'];
export type ContentComment = S['Comment'];
export type ContentMove = Body<'/api/v1/workspaces/{workspace_id}/content/{id}/move', 'post'>;
export type ContentReviewAction = Body<'/api/v1/workspaces/{workspace_id}/content/{id}/review', 'post'>;
export type ContentPublish = Body<'/api/v1/workspaces/{workspace_id}/content/{id}/publish', 'post'>;
export type ContentRetro = Body<'/api/v1/workspaces/{workspace_id}/content/{id}/retro', 'post'>;
export type ContentCommentInput = Body<'/api/v1/workspaces/{workspace_id}/content/{id}/comments', 'post'>;

/** JSON body of one operation, for request schemas that are not named here. */
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } }
  ? B
  : never;

export type Stage = S['Stage'];
/** What the server says a member may do with one item now (sent with every item). */
export type ItemAllowed = S['Allowed'];
export type ItemAction = S['ItemAction'];
/** What the server says a member may do on the board (create, where each kind of card may go). */
export type BoardAllowed = S['BoardAllowed'];
export type ContentChecks = S['ContentChecks'];
export type RedLineHit = S['RedLineHit'];
export type ContentCheckInput = Body<'/api/v1/workspaces/{workspace_id}/content/check', 'post'>;
export type ContentSettings = S['ContentSettings'];
export type ApprovalStep = S['ApprovalStep'];
export type ApprovalMode = S['ApprovalMode'];
export type StepRule = S['StepRule'];
export type RedLine = S['RedLine'];
export type RedLineSeverity = RedLine['severity'];
export type RedLineAllowed = S['RedLineAllowed'];
export type RedLineInput = Body<'/api/v1/workspaces/{workspace_id}/red-lines', 'post'>;
export type RedLinePatch = Body<'/api/v1/workspaces/{workspace_id}/red-lines/{id}', 'patch'>;
export type FirstPassRow = S['FirstPassRow'];

export type NotificationKind = S['NotificationKind'];
export type Notification = S['Notification'];
export type NotificationPage = S['NotificationPage'];
export type UnreadCount = S['UnreadCount'];
export type MarkRead = S['MarkRead'];
export type ChannelKind = S['ChannelKind'];
export type SmtpSecurity = S['SmtpSecurity'];
export type ChannelConfig = S['ChannelConfig'];
export type Channel = S['Channel'];
export type ChannelDraft = S['ChannelDraft'];
export type ChannelPatch = S['ChannelPatch'];
export type ChannelTest = S['ChannelTest'];
export type NotificationRule = S['Rule'];
export type NotificationRuleDraft = S['RuleDraft'];
export type NotificationRulePatch = S['RulePatch'];
export type NotificationPreferences = S['Preferences'];
export type Delivery = S['Delivery'];
export type DeliveryStatus = S['DeliveryStatus'];
export type DeliveryAttempt = S['Attempt'];
export type Job = S['Job'];
export type JobState = S['JobState'];
export type JobKind = S['JobKind'];

export type CalendarView = S['CalendarView'];
export type CalendarItem = S['CalendarItem'];
export type CalendarItems = S['CalendarItems'];
export type ScheduleConflict = S['Conflict'];
export type ConflictRule = S['ConflictRule'];
export type ConflictSeverity = S['ConflictSeverity'];
export type SlotOccurrence = S['SlotOccurrence'];
export type Holiday = S['Holiday'];
export type HolidayKind = S['HolidayKind'];
export type HolidayYear = S['HolidayYear'];
export type SlotCheck = S['SlotCheck'];
export type SlotCheckResult = S['SlotCheckResult'];
export type CalendarQuery = Omit<NonNullable<paths['/api/v1/workspaces/{workspace_id}/calendar']['get']['parameters']['query']>, 'from' | 'to'>;
export type ScheduleRules = S['ScheduleRules'];
export type RuleMode = S['RuleMode'];
export type QuietWindow = S['QuietWindow'];
export type AccountSpec = S['AccountSpec'];
export type FollowUpRule = S['FollowUpRule'];
export type CoordinationOrder = S['CoordinationOrder'];
export type CoordinationOrderDraft = S['CoordinationOrderDraft'];
export type Wave = S['Wave'];
export type FollowUp = S['FollowUp'];
export type FollowUpState = S['FollowUpState'];
export type WaveQuery = NonNullable<paths['/api/v1/workspaces/{workspace_id}/waves']['get']['parameters']['query']>;
export type RecurringSlot = S['RecurringSlot'];
export type RecurringSlotDraft = S['RecurringSlotDraft'];
export type IcsFeed = S['IcsFeed'];
export type IcsFeedDraft = S['FeedDraft'];
export type FeedScope = S['FeedScope'];
export type CreatedIcsFeed = S['NewIcsFeed'];

/** Languages the UI ships (the API stores the user's choice as a plain string). */
export type Locale = 'zh-CN' | 'en-US';
