// `npm run openapi`: writes the OpenAPI document the routes declare, and the client types generated from it.
// test/api/openapi-contract.test.ts fails when either committed file is out of date.
import { writeFileSync } from 'node:fs';
import { API_TYPES_PATH, generatedOpenApiText, generatedTypesText, OPENAPI_PATH } from './openapi-contract';

const document = generatedOpenApiText();
writeFileSync(OPENAPI_PATH, document);
writeFileSync(API_TYPES_PATH, await generatedTypesText(document));
console.log(`wrote ${OPENAPI_PATH} and ${API_TYPES_PATH}`);
