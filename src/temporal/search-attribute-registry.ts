import { SearchAttributeType } from '@temporalio/common';
import proto from '@temporalio/proto';
import { PAYMENT_SEARCH_ATTRIBUTES } from '../contracts/search-attributes';

const { IndexedValueType } = proto.temporal.api.enums.v1;
type OperatorService = proto.temporal.api.operatorservice.v1.OperatorService;

const INDEXED_TYPES: Partial<Record<SearchAttributeType, proto.temporal.api.enums.v1.IndexedValueType>> = {
  [SearchAttributeType.BOOL]: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.INT]: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.KEYWORD_LIST]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

const indexedType = (type: SearchAttributeType) => INDEXED_TYPES[type] ?? IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;

/** Every payment search attribute with its indexed type, as AddSearchAttributes takes them. */
export function paymentSearchAttributeTypes(
  names: readonly string[] = PAYMENT_SEARCH_ATTRIBUTES.map((key) => key.name),
) {
  return Object.fromEntries(
    PAYMENT_SEARCH_ATTRIBUTES.filter((key) => names.includes(key.name)).map((key) => [key.name, indexedType(key.type)]),
  );
}

/** The payment search attributes the namespace lacks (or holds with another type). */
export async function missingSearchAttributes(operator: OperatorService, namespace: string): Promise<string[]> {
  const { customAttributes } = await operator.listSearchAttributes({ namespace });
  return PAYMENT_SEARCH_ATTRIBUTES.filter((key) => customAttributes?.[key.name] !== indexedType(key.type)).map(
    (key) => key.name,
  );
}

/**
 * Registers the payment search attributes the namespace lacks. The dev server registers its --search-attribute
 * flags only when it creates its database, so a database from an older version needs this to gain new ones.
 */
export async function registerSearchAttributes(operator: OperatorService, namespace: string): Promise<string[]> {
  const missing = await missingSearchAttributes(operator, namespace);
  if (missing.length === 0) return [];
  await operator.addSearchAttributes({ namespace, searchAttributes: paymentSearchAttributeTypes(missing) });
  return missing;
}
