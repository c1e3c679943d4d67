// @ts-check
/* KHS CRM field app: the shapes the other modules share. Types only: no page imports this
 * file at run time (a JSDoc `import("./khs_types.js")` is erased), tsc reads it
 * (tests/js/tsconfig.json). Rows are as the server's sync pull sends them (camelCase):
 * tests/js/typecheck.js holds them to tests/js/fixtures/rows.json, which the Python writes
 * from the API's serializers, so a field added or dropped there fails the type check. */

// Rows -------------------------------------------------------------------------------------

/** @typedef {"customer" | "job" | "material" | "note" | "photo" | "time_entry" | "change_order"} Entity */
/** @typedef {"customers" | "jobs" | "materials" | "notes" | "photos" | "timeEntries" | "changeOrders"} RowStore */

/**
 * `version` is null on a row created on this phone that the server has not answered for yet;
 * such a row has the fields the phone filled in (the others arrive with the next pull).
 * @typedef {object} Customer
 * @property {string} id
 * @property {number | null} version
 * @property {string} createdAt
 * @property {string} updatedAt
 * @property {string} name
 * @property {string | null} phone
 * @property {string | null} email
 * @property {string | null} address
 * @property {string | null} notes
 */

/**
 * @typedef {object} Job
 * @property {string} id
 * @property {number | null} version
 * @property {string} createdAt
 * @property {string} updatedAt
 * @property {string} customerId
 * @property {string} title
 * @property {string | null} description
 * @property {string} status
 * @property {string | null} siteAddress
 * @property {string | null} scheduledStart
 * @property {string | null} scheduledEnd
 * @property {string[]} assignedUserIds
 */

/**
 * @typedef {object} Material
 * @property {string} id
 * @property {number | null} version
 * @property {string} createdAt
 * @property {string} updatedAt
 * @property {string} jobId
 * @property {string} name
 * @property {number | null} quantity
 * @property {string | null} unit
 * @property {string | null} supplier
 * @property {boolean} purchased
 * @property {string | null} purchasedAt
 * @property {string | null} purchasedBy
 * @property {string | null} notes
 */

/**
 * @typedef {object} Note
 * @property {string} id
 * @property {number | null} version
 * @property {string} createdAt
 * @property {string} updatedAt
 * @property {string} jobId
 * @property {string | null} authorId
 * @property {string | null} authorName
 * @property {string} body
 */

/**
 * @typedef {object} Photo
 * @property {string} id
 * @property {number | null} version
 * @property {string} createdAt
 * @property {string} updatedAt
 * @property {string} jobId
 * @property {string} caption
 * @property {string} tag
 * @property {string} contentType
 * @property {number} size
 * @property {number | null} width
 * @property {number | null} height
 * @property {string | null} takenAt
 * @property {string | null} uploadedBy
 * @property {string} fileUrl
 * @property {string | null} thumbnailUrl
 */

/**
 * One stretch of a person's work on a job, clocked on the phone (docs/time.md): the device's
 * times of each tap; the server adds hours, flags, approval and when it first received it.
 * @typedef {object} TimeEntry
 * @property {string} id
 * @property {number | null} version
 * @property {string} userId
 * @property {string} jobId
 * @property {string} startedAt
 * @property {string | null} endedAt null while clocked in
 * @property {Array<{ startedAt: string, endedAt: string | null }>} breaks
 * @property {string} [note]
 * @property {string} [hours] decimal string, from the server
 * @property {string[]} [flags]
 * @property {boolean} [approved]
 * @property {string | null} [receivedAt]
 * @property {number | null} [inLat] where I clocked in, 3 decimals (~110 m); null: not stamped
 * @property {number | null} [inLng]
 * @property {number | null} [outLat] where I clocked out
 * @property {number | null} [outLng]
 */

/**
 * A line of a change order, exactly as stored and signed (docs/change_orders.md).
 * @typedef {object} ChangeOrderLine
 * @property {string} kind material | labor | other | discount
 * @property {string} description
 * @property {string} quantity decimal string
 * @property {string} unit
 * @property {string | null} unitPrice null: to be priced by the office
 * @property {boolean} taxable
 */

/**
 * Extra work agreed on site (docs/change_orders.md): written on the phone, signed by the
 * customer on it, numbered by the server when it first arrives.
 * @typedef {object} ChangeOrder
 * @property {string} id
 * @property {number | null} version
 * @property {string} jobId
 * @property {string | null} number
 * @property {string} description
 * @property {ChangeOrderLine[]} lines
 * @property {string[]} photoIds
 * @property {string} status
 * @property {{ name: string, svgPath: string, signedAt: string, contentHash: string } | null} signature
 * @property {string | null} [integrity]
 * @property {string | null} [total]
 * @property {string} [createdAt]
 */

/** @typedef {Customer | Job | Material | Note | Photo | TimeEntry | ChangeOrder} Row */

/**
 * A row in a push result (`serverRow`): tombstones too.
 * @typedef {Row & { deletedAt?: string | null }} ServerRow
 */

// The outbox -------------------------------------------------------------------------------

/**
 * One field edit waiting in the outbox (object store `syncQueue`, keyed by `seq`).
 * @typedef {object} Operation
 * @property {string} opId
 * @property {number} seq given by the outbox when the operation is stored
 * @property {Entity | "user"} entity ("user": the person's own settings, no row on the phone)
 * @property {string} entityId
 * @property {"create" | "update" | "delete"} action
 * @property {Record<string, unknown>} changes
 * @property {number | null} baseVersion the row's version the edit was made on
 * @property {string} clientTimestamp
 * @property {Record<string, unknown> | null} before the changed fields' values before the edit
 * @property {number} [holdUntil] not sent before this time (ms): an Undo may still take it back
 */

/** An operation as the screens see it: `seq` is there once its transaction has run.
 * @typedef {Omit<Operation, "seq"> & { seq?: number }} QueuedOperation */

/** What travels to POST /api/sync/push.
 * @typedef {Omit<Operation, "before" | "seq"> & { seq?: number }} WireOperation */

// The server's answers (khs_crm/api/sync_shapes.py) -----------------------------------------

/**
 * @typedef {object} FieldConflict
 * @property {string} field
 * @property {unknown} serverValue
 * @property {unknown} clientValue
 * @property {number} serverVersion
 */

/**
 * @typedef {object} OpError
 * @property {string} [code]
 * @property {string} message
 * @property {unknown[]} [details]
 * @property {string | null} [reason]
 * @property {Record<string, unknown> | null} [params]
 */

/**
 * @typedef {object} OpResult
 * @property {string} opId
 * @property {"applied" | "duplicate" | "conflict" | "rejected"} status
 * @property {number | null} version
 * @property {FieldConflict[]} [conflicts]
 * @property {ServerRow | null} [serverRow]
 * @property {OpError | string | null} [error]
 * @property {string | null} [conflictId]
 */

/**
 * One change of GET /api/sync/pull.
 * @typedef {object} Change
 * @property {Entity} entity
 * @property {string} entityId
 * @property {"upsert" | "delete" | "remove"} action
 * @property {number} version
 * @property {Row | null} [row]
 */

/**
 * @typedef {object} Pulled
 * @property {Change[]} changes
 * @property {number} cursor
 * @property {boolean} hasMore
 */

/**
 * @typedef {object} Pushed
 * @property {OpResult[]} results
 * @property {number} cursor
 */

// On the phone -----------------------------------------------------------------------------

/**
 * A photo taken on this phone, until the server has it (object store `photoUploads`).
 * @typedef {object} PhotoUpload
 * @property {string} id
 * @property {string} jobId
 * @property {string} caption
 * @property {string} tag
 * @property {string} takenAt
 * @property {string} type
 * @property {string} name
 * @property {number} size
 * @property {"waiting" | "failed"} state
 * @property {string} error
 */

/**
 * A push result the crew should see (Sync screen), kept in metadata `issues`.
 * @typedef {object} Issue
 * @property {string} id the operation's opId
 * @property {"rejected" | "conflict"} kind
 * @property {string} error
 * @property {FieldConflict[]} [conflicts]
 * @property {string} [reason]
 * @property {string} [subject] the row's name, should the row be gone from the phone
 * @property {string | null} [conflictId]
 * @property {WireOperation} op
 * @property {string} at
 */

/**
 * @typedef {object} User
 * @property {string} id
 * @property {string} name
 * @property {string} role
 * @property {string} [language] "en" | "es": the words on this person's screens
 * @property {boolean | null} [shareLocation] stamp clock-ins with where they are (null: not asked yet)
 */

/**
 * The object store `metadata` (key/value) as one object.
 * @typedef {object} Meta
 * @property {number} [cursor]
 * @property {number} [schemaVersion]
 * @property {string} [clientId]
 * @property {User} [user]
 * @property {Issue[]} [issues]
 * @property {string} [lastSyncAt]
 */

/**
 * Everything in the device database but the photo bytes (`readAll`).
 * @typedef {object} Snapshot
 * @property {Customer[]} customers
 * @property {Job[]} jobs
 * @property {Material[]} materials
 * @property {Note[]} notes
 * @property {Photo[]} photos
 * @property {TimeEntry[]} timeEntries
 * @property {ChangeOrder[]} changeOrders
 * @property {Operation[]} syncQueue
 * @property {Meta} metadata
 * @property {PhotoUpload[]} photoUploads
 */

/**
 * The in-memory mirror of the device database that the screens render from.
 * @typedef {object} Mirror
 * @property {Map<string, Customer>} customers
 * @property {Map<string, Job>} jobs
 * @property {Map<string, Material>} materials
 * @property {Map<string, Note>} notes
 * @property {Map<string, Photo>} photos
 * @property {Map<string, TimeEntry>} [timeEntries] my time entries (older mirrors may lack them)
 * @property {Map<string, ChangeOrder>} [changeOrders] the change orders of my jobs
 * @property {Map<string, PhotoUpload>} uploads
 * @property {QueuedOperation[]} queue
 * @property {Meta} meta
 */

// The config every page carries (khs_crm/offline/pwa.py client_config) ---------------------

/**
 * One field's bounds from the server's input model, with the office's words for a refusal.
 * @typedef {object} FieldRule
 * @property {string} type
 * @property {boolean} [required]
 * @property {number} [minLength]
 * @property {number} [maxLength]
 * @property {number} [minimum]
 * @property {number} [maximum]
 * @property {number} [exclusiveMinimum]
 * @property {number} [exclusiveMaximum]
 * @property {unknown} [default]
 * @property {string} bounds
 * @property {string} [empty]
 * @property {Record<string, { bounds: string, empty?: string }>} [words] the same words in other languages
 */

/** Per entity and action ("create" | "update"), per field.
 * @typedef {Record<string, Record<string, Record<string, FieldRule>>>} Limits */

/**
 * @typedef {object} Config
 * @property {string} timezone
 * @property {Record<string, { office: string[], worker: string[] }>} workflow
 * @property {Record<string, string>} labels
 * @property {string[]} closed
 * @property {string[]} upcoming
 * @property {string[]} officeRoles
 * @property {Record<string, string>} photoTags
 * @property {string} photoTag
 * @property {Limits} limits
 * @property {string} swUrl
 * @property {number} maxPhotoBytes
 */

/**
 * A language's words for the phone (`/i18n/<lang>.json`, khs_crm/i18n/compile.py): each
 * English message's translation, a plural message's forms in `categories` order.
 * @typedef {object} Catalog
 * @property {string} language
 * @property {string} locale how dates and numbers are written ("es-US")
 * @property {string[]} categories CLDR plural categories, in the order of a plural's forms
 * @property {Record<string, string | string[]>} messages
 */

export {};
