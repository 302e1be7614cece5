import type { SessionUser } from '../../http/types';
import { notFound } from '../../http/errors';
import { readableArticle } from './articles.service';
import { ArticleModel, ReaderModel } from './study.model';
import { readableVideo } from './videos.service';

/**
 * 收藏: a member keeps articles and videos they may read on their reader document (one `$addToSet`/`$pull` on
 * their key). Only what they may read can be kept; taking one out needs nothing but the id.
 */
export async function addFav(actor: SessionUser, id: string): Promise<{ id: string; fav: boolean }> {
  const isArticle = (await ArticleModel.exists({ _id: id })) !== null;
  if (isArticle) await readableArticle(actor, id);
  else
    await readableVideo(actor, id).catch((err: unknown) => {
      throw (err as { status?: number }).status === 404 ? notFound('文章或视频') : err;
    });
  await ReaderModel.updateOne({ _id: actor.id }, { $addToSet: { favs: id } }, { upsert: true });
  return { id, fav: true };
}

export async function removeFav(actor: SessionUser, id: string): Promise<{ id: string; fav: boolean }> {
  await ReaderModel.updateOne({ _id: actor.id }, { $pull: { favs: id } });
  return { id, fav: false };
}
