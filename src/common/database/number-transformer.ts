/** PostgreSQL numeric and bigint arrive as strings (to keep their precision): read them as numbers. */
export const numberColumn = { to: (v: number) => v, from: (v: string | number) => Number(v) };

/** The same for a nullable column. */
export const nullableNumberColumn = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };
