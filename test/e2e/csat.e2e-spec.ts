import { DataSource } from 'typeorm';
import { CREATE_TICKET, TestApp, TestTenant, UPDATE_TICKET } from './helpers/test-app';

const SURVEY = `query($id: ID!) { ticket(id: $id) { tags csatSurvey { id answerToken expiresAt answeredAt rating comment } messages { body internal authorType } events { type data } } }`;
const ANSWER = `mutation($token: String!, $input: CsatAnswerInput!) { answerCsatSurvey(token: $token, input: $input) }`;

describe('CSAT surveys', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant('متجر الورد');
  });
  afterAll(() => t.close());

  async function solvedTicket(n: number) {
    const ticket = (await t.gqlOk(store.key, CREATE_TICKET, { input: { subject: 'طلب', body: 'متى يصل', customer: { email: `s${n}@x.sa` } } })).createTicket;
    await t.gqlOk(store.key, UPDATE_TICKET, { id: ticket.id, input: { status: 'SOLVED' } });
    return { ...ticket, survey: (await t.gqlOk(store.key, SURVEY, { id: ticket.id })).ticket.csatSurvey };
  }

  it('solving a ticket opens a survey for 7 days, answered once through the public REST endpoint', async () => {
    const { survey, number } = await solvedTicket(1);
    expect(survey).toMatchObject({ answeredAt: null, rating: null });
    const days = (new Date(survey.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);

    const page = await t.http.get(`/api/v1/csat/${survey.answerToken}`);
    expect(page.body).toEqual({ ticketNumber: number, storeName: 'متجر الورد', answered: false, expired: false });
    const answered = await t.http.post(`/api/v1/csat/${survey.answerToken}`).send({ rating: 5, comment: 'خدمة ممتازة' });
    expect(answered.status).toBe(200);
    const again = await t.http.post(`/api/v1/csat/${survey.answerToken}`).send({ rating: 1 });
    expect(again.status).toBe(409);
    const bad = await t.http.post(`/api/v1/csat/${survey.answerToken}`).send({ rating: 7 });
    expect(bad.status).toBe(400);
  });

  it('refuses forged and expired tokens', async () => {
    const { survey } = await solvedTicket(2);
    const [id] = survey.answerToken.split('.');
    const forged = await t.gql(undefined, ANSWER, { token: `${id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`, input: { rating: 5 } });
    expect(forged.errors?.[0].extensions.code).toBe('NOT_FOUND');
    await t.app.get(DataSource).query(`UPDATE csat_surveys SET expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    const expired = await t.gql(undefined, ANSWER, { token: survey.answerToken, input: { rating: 5 } });
    expect(expired.errors?.[0]).toMatchObject({ message: 'This survey has expired', extensions: { code: 'CONFLICT' } });
  });

  it('a low score (1–2) flags the ticket for follow-up with an internal note and a tag', async () => {
    const { id, survey } = await solvedTicket(3);
    expect(await t.gqlOk(undefined as never, ANSWER, { token: survey.answerToken, input: { rating: 1, comment: 'تأخر كثير' } })).toEqual({ answerCsatSurvey: true });
    const view = (await t.gqlOk(store.key, SURVEY, { id })).ticket;
    expect(view.csatSurvey).toMatchObject({ rating: 1, comment: 'تأخر كثير', answeredAt: expect.any(String) });
    expect(view.tags).toContain('csat-low');
    expect(view.messages.at(-1)).toMatchObject({ internal: true, authorType: 'SYSTEM', body: expect.stringContaining('تقييم منخفض (1/5)') });
    expect(view.events.find((e: { type: string }) => e.type === 'CSAT_RECEIVED').data).toMatchObject({ rating: 1, comment: 'تأخر كثير' });
  });

  it('a reopened and solved-again ticket gets a new survey', async () => {
    const { id, survey } = await solvedTicket(4);
    await t.gqlOk(store.key, UPDATE_TICKET, { id, input: { status: 'OPEN' } });
    await t.gqlOk(store.key, UPDATE_TICKET, { id, input: { status: 'SOLVED' } });
    // The first survey is still open, so no second one yet; once answered, the next solve sends another.
    expect((await t.gqlOk(store.key, SURVEY, { id })).ticket.csatSurvey.id).toBe(survey.id);
    await t.gqlOk(undefined as never, ANSWER, { token: survey.answerToken, input: { rating: 4 } });
    await t.gqlOk(store.key, UPDATE_TICKET, { id, input: { status: 'OPEN' } });
    await t.gqlOk(store.key, UPDATE_TICKET, { id, input: { status: 'SOLVED' } });
    expect((await t.gqlOk(store.key, SURVEY, { id })).ticket.csatSurvey.id).not.toBe(survey.id);
  });
});
