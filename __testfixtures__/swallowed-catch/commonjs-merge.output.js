const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const {
  isInfraFailure,
  classify
} = require('./resilience/errors');

const sns = new SNSClient({});

async function notify(topicArn, message) {
  const err = null;
  try {
    return await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  } catch (e) {
    console.warn('sns down', e, isInfraFailure(e));
    throw classify(e);
  }
}

const publish = (topicArn, message) =>
  sns.send(new PublishCommand({ TopicArn: topicArn, Message: message })).catch(function(err) {
    console.error('publish failed');
    throw classify(err);
  });

exports.announce = async (topicArn, message) => {
  try {
    await notify(topicArn, message);
    return await publish(topicArn, message);
  } catch (e) {
    throw new Error(`announcement to ${topicArn} failed`, { cause: e });
  }
};
