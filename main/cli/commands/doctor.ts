/**
 * `labelloop doctor [--json]`: which tfjs backends load on this machine, the device each would train
 * on, a short training probe (img/s at 256², one thread) for each that loads and, for each that does
 * not, the exact reason and the one step that would enable it (main/services/device-service.ts).
 */
import type { Command } from 'commander'
import { formatDoctor } from '../../../core/train/devices/doctor'
import { checkDevices } from '../../services/device-service'
import type { CommandContext } from '../output'

async function runDoctorCommand(ctx: CommandContext, opts: { seconds: string; sizes: string }): Promise<number> {
  try {
    const seconds = Number(opts.seconds)
    const sizes = opts.sizes.split(',').map(Number)
    if (!(seconds > 0) || sizes.some((s) => !Number.isInteger(s) || s <= 0 || s % 8 !== 0)) {
      throw new Error(`--seconds must be positive and --sizes multiples of 8 (got ${opts.seconds}, ${opts.sizes})`)
    }
    const report = await checkDevices(sizes, seconds, (name) => ctx.out.progress(`checking ${name}…`))
    ctx.out.result(report, formatDoctor(report))
    return 0
  } catch (err) {
    return ctx.out.fail(err)
  }
}

/** Registers `doctor` on the program. */
export function registerDoctor(program: Command, ctx: (json: boolean) => CommandContext, done: (code: number) => void): void {
  program
    .command('doctor')
    .description('check which training backends and devices work here, with a short training probe of each')
    .option('--seconds <s>', 'length of each training probe', '10')
    .option('--sizes <list>', 'tile sides to probe, comma-separated', '256')
    .option('--json', 'print the report as one JSON object on stdout')
    .action(async (opts: { seconds: string; sizes: string; json?: boolean }) => done(await runDoctorCommand(ctx(opts.json === true), opts)))
}
