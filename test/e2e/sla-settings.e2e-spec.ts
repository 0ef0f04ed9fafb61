import { TestApp, TestTenant } from './helpers/test-app';

const CALENDAR = `{ businessCalendar { timeZone weekly { day hours { start end } } holidays { from to name } overrides { from to name hours { start end } } } }`;
const UPDATE = `mutation($input: UpdateBusinessCalendarInput!) { updateBusinessCalendar(input: $input) { timeZone weekly { day hours { start end } } holidays { from to name } overrides { from to name hours { start end } } } }`;
const POLICIES = `{ slaPolicies { id name position conditions { channels tiers tags } firstResponse { seconds clock } nextResponse { seconds clock } resolution { seconds clock } warnAtPercent pauseWhile escalation { raisePriority reassignToLead addTag } active } }`;

describe('business calendar and SLA policies', () => {
  let t: TestApp;
  let store: TestTenant;

  beforeAll(async () => {
    t = await TestApp.start();
    store = await t.createTenant('متجر الورد', { timezone: 'Asia/Riyadh' });
  });
  afterAll(() => t.close());

  it('a store starts with the Saudi week and the policies of the design notes', async () => {
    const { businessCalendar } = await t.gqlOk(store.key, CALENDAR);
    expect(businessCalendar.timeZone).toBe('Asia/Riyadh');
    const open = businessCalendar.weekly.filter((d: { hours: unknown[] }) => d.hours.length).map((d: { day: string }) => d.day);
    expect(open).toEqual(['SUN', 'MON', 'TUE', 'WED', 'THU']);
    expect(businessCalendar.weekly[0].hours).toEqual([{ start: '09:00', end: '17:00' }]);

    const { slaPolicies } = await t.gqlOk(store.key, POLICIES);
    expect(slaPolicies.map((p: { position: number }) => p.position)).toEqual([10, 15, 20, 30, 40, 50]);
    const chat = slaPolicies[0];
    expect(chat).toMatchObject({ conditions: { channels: ['CHAT'] }, firstResponse: { seconds: 300, clock: 'CALENDAR' }, warnAtPercent: 80, pauseWhile: ['PENDING'] });
    const email = slaPolicies.find((p: { conditions: { channels: string[] | null } }) => p.conditions.channels?.includes('EMAIL'));
    expect(email.firstResponse).toEqual({ seconds: 3600, clock: 'BUSINESS' });
  });

  it('sets Ramadan hours across midnight and Eid from Hijri dates', async () => {
    const { updateBusinessCalendar } = await t.gqlOk(store.key, UPDATE, {
      input: {
        holidays: [
          { from: '2026-09-23', name: 'اليوم الوطني' },
          { hijriFrom: { year: 1447, month: 10, day: 1 }, hijriTo: { year: 1447, month: 10, day: 4 }, name: 'عيد الفطر' },
        ],
        overrides: [
          {
            hijriFrom: { year: 1447, month: 9, day: 1 },
            hijriTo: { year: 1447, month: 9, day: 29 },
            name: 'رمضان',
            hours: [
              { start: '10:00', end: '15:00' },
              { start: '21:00', end: '01:00' },
            ],
          },
        ],
      },
    });
    expect(updateBusinessCalendar.holidays).toEqual([
      { from: '2026-09-23', to: null, name: 'اليوم الوطني' },
      { from: '2026-03-20', to: '2026-03-23', name: 'عيد الفطر' },
    ]);
    expect(updateBusinessCalendar.overrides[0]).toMatchObject({ from: '2026-02-18', to: '2026-03-18', name: 'رمضان' });
    // The week was not given, so it stays.
    expect(updateBusinessCalendar.weekly[0].hours).toEqual([{ start: '09:00', end: '17:00' }]);
  });

  it('refuses an unusable calendar and names the problems', async () => {
    const res = await t.gql(store.key, UPDATE, { input: { timeZone: 'Mars/Olympus', weekly: [{ day: 'SUN', hours: [{ start: '25:00', end: '17:00' }] }] } });
    expect(res.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(Object.keys(res.errors?.[0].extensions.fields ?? {})).toContain('weekly.0.hours.0.start');
    const zone = await t.gql(store.key, UPDATE, { input: { timeZone: 'Mars/Olympus' } });
    expect(zone.errors?.[0].extensions.fields).toHaveProperty('timeZone');
    const hijri = await t.gql(store.key, UPDATE, { input: { holidays: [{ hijriFrom: { year: 1447, month: 13, day: 1 } }] } });
    expect(hijri.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('manages policies: create, update, delete; another store cannot touch them', async () => {
    const created = (
      await t.gqlOk(store.key, `mutation($input: SlaPolicyInput!) { createSlaPolicy(input: $input) { id name position conditions { tiers tags } escalation { raisePriority addTag } } }`, {
        input: {
          name: 'شكاوى VIP',
          position: 5,
          conditions: { tiers: ['VIP'], tags: ['شكوى'] },
          firstResponse: { seconds: 900, clock: 'CALENDAR' },
          escalation: { raisePriority: true, reassignToLead: true, addTag: 'تصعيد' },
        },
      })
    ).createSlaPolicy;
    expect(created).toMatchObject({ position: 5, conditions: { tiers: ['VIP'], tags: ['شكوى'] }, escalation: { raisePriority: true, addTag: 'تصعيد' } });

    const updated = await t.gqlOk(store.key, `mutation($id: ID!) { updateSlaPolicy(id: $id, input: { warnAtPercent: 50, active: false }) { warnAtPercent active } }`, { id: created.id });
    expect(updated.updateSlaPolicy).toEqual({ warnAtPercent: 50, active: false });
    const empty = await t.gql(store.key, `mutation { createSlaPolicy(input: { name: "بلا أهداف" }) { id } }`);
    expect(empty.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    const tooShort = await t.gql(store.key, `mutation { createSlaPolicy(input: { name: "x", firstResponse: { seconds: 10, clock: BUSINESS } }) { id } }`);
    expect(tooShort.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');

    const other = await t.createTenant('متجر آخر');
    expect((await t.gqlOk(other.key, `{ slaPolicies { id } }`)).slaPolicies.map((p: { id: string }) => p.id)).not.toContain(created.id);
    expect((await t.gql(other.key, `mutation($id: ID!) { deleteSlaPolicy(id: $id) }`, { id: created.id })).errors?.[0].extensions.code).toBe('NOT_FOUND');

    await t.gqlOk(store.key, `mutation($id: ID!) { deleteSlaPolicy(id: $id) }`, { id: created.id });
    expect((await t.gqlOk(store.key, `{ slaPolicies { id } }`)).slaPolicies).toHaveLength(6);
  });
});
