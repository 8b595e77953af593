import { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../entities';
import { selectOne } from './selection';

/** Organization reads. The organization is loaded by every write (its access check), so it is plain SQL. */
export class OrganizationRepository {
  constructor(private readonly em: EntityManager) {}

  findById(id: string): Promise<Organization | null> {
    return selectOne(this.em, Organization, 'select * from organization where id = ?', [id]);
  }
}
