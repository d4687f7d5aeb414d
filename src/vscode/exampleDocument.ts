import * as vscode from 'vscode';

// The Cookies view's empty state links here: a login flow a newcomer can run against any Spring app
// (or `npm start`'s demo server) without copying a token by hand.
const loginExample = `# HTTP Session: Spring form login with CSRF, in three requests.
# Click "Send Request" above each one, top to bottom, then look at the Cookies view.
@host = http://localhost:8080

### Fetch the login page: the server sets JSESSIONID and XSRF-TOKEN, the form carries _csrf
# @name loginPage
GET {{host}}/login
Accept: text/html

### Log in with the form's token: Spring rotates JSESSIONID here
# @name login
POST {{host}}/login
Content-Type: application/x-www-form-urlencoded

username=user&password=password&_csrf={{loginPage.response.csrf}}

### Call the API with the session the jar now holds
GET {{host}}/api/me
Accept: application/json
`;

/** Opens the login example in an untitled http document. */
export async function openLoginExample(): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'http', content: loginExample });
  return vscode.window.showTextDocument(document);
}
