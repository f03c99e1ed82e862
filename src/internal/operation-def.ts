// What the client needs to know of one operation, as the generated module of each operation
// (generated/operations/<OperationId>.ts) declares it: route, query serialisation, rate limit, paging and the
// validator compiled from the spec. The client core sends any operation it is given from this alone.

/** How a query parameter travels (style form): an array with `explode: false` is one comma-separated value. */
export interface QueryStyle {
  readonly array: boolean;
  readonly explode: boolean;
  readonly required?: boolean;
}

/** The API gateway's limit for the operation's group (the spec's x-rate-limit), in calls per minute. */
export interface RateLimit {
  readonly group: string;
  readonly perTenantPerMinute: number;
  readonly overallPerMinute: number;
}

/**
 * How a list operation pages (the spec's x-pagination): by page index and size, by offset and limit, or by a
 * marker; `items` names the response field with the page's items and `total` the one with the total count.
 */
export interface Pagination {
  readonly page?: string;
  readonly size?: string;
  readonly firstPage?: number;
  readonly offset?: string;
  readonly limit?: string;
  readonly marker?: string;
  readonly nextMarker?: string;
  readonly items: string;
  readonly total?: string;
}

/** A validator compiled from the spec (Ajv standalone code): true when valid, else the issues in `errors`. */
export type Validator = ((data: unknown) => boolean) & { errors?: AjvIssue[] | null };

export interface AjvIssue {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

export interface OperationDef {
  readonly id: string;
  readonly methodName: string;
  readonly method: string;
  readonly path: string;
  /** The operation has a JSON request body (then the method's input is the body). */
  readonly body?: boolean;
  /** Its query parameters (then, without a body, the method's input is the query object). */
  readonly query?: Readonly<Record<string, QueryStyle>>;
  /** Path parameters besides project_id, filled from the client's options (domain_id). */
  readonly pathParameters?: readonly string[];
  readonly rateLimit?: RateLimit;
  readonly pagination?: Pagination;
  /** The success response carries key material: kept out of inspection and logs. */
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
  /** The body's validator, or the query's for an operation without a body. */
  readonly validate: Validator | undefined;
}
