// China Standard Time from chain seconds: UTC+8 all year.
import { chinaDate, chinaHour, DAY } from './time';

it('reads the date and hour in China, where a UTC evening is the next morning', () => {
  const evening = Date.UTC(2026, 10, 21, 17, 30) / 1000;
  expect(chinaDate(evening)).toBe('20261122');
  expect(chinaHour(evening)).toBe(1);
  expect(chinaDate(evening - DAY)).toBe('20261121');
  // No daylight saving: the same in July.
  expect(chinaHour(Date.UTC(2026, 6, 1, 16, 0) / 1000)).toBe(0);
});
