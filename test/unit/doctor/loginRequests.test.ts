import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginRequestNames } from '../../../src/core/doctor/loginRequests';
import { parseRequestFile } from '../../../src/core/parse';

const names = (text: string) => loginRequestNames(parseRequestFile(text, '/w/requests.http').requests);

test('login requests of a file, best first: POST to a login path named like one, then the path, then the name', () => {
  const file = `# @name authenticate
POST {{host}}/api/session

###
# @name submitForm
POST {{host}}/login?next=/

###
# @name loginPage
GET {{host}}/login

###
# @name login
POST http://localhost:8080/app/login
Content-Type: application/x-www-form-urlencoded

username=user&password=password

###
# @name me
GET {{host}}/api/me
`;
  assert.deepEqual(names(file), ['login', 'submitForm', 'authenticate']);
});

test('no login request: a GET of the login page, unnamed requests and logouts are not ones', () => {
  assert.deepEqual(names(`# @name loginPage\nGET {{host}}/login\n\n###\nPOST {{host}}/login\n\n###\n# @name logout\nPOST {{host}}/logout\n`), []);
});
